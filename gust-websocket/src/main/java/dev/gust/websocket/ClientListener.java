package dev.gust.websocket;

import java.nio.ByteBuffer;

/**
 * Events of a client WebSocket, all on its loop thread. Every method has an empty default.
 * Exactly one of {@link #onOpen} or {@link #onError} follows a connect; after an open,
 * {@link #onClose} comes exactly once. A callback that throws closes the connection with 1011.
 *
 * <pre>{@code
 * new ClientListener() {
 *     public void onMessage(ClientWebSocket ws, WebSocketMessage msg) { ws.send(msg); }   // echo
 *     public void onClose(ClientWebSocket ws, int code, String reason) { System.out.println("closed " + code); }
 * }
 * }</pre>
 */
public interface ClientListener {
    /** The handshake completed. */
    default void onOpen(ClientWebSocket ws) throws Exception {}

    /** A whole message; a view valid only during the call (see {@link WebSocketMessage}). */
    default void onMessage(ClientWebSocket ws, WebSocketMessage message) throws Exception {}

    /** A ping arrived (the pong has been sent already). */
    default void onPing(ClientWebSocket ws, ByteBuffer payload) throws Exception {}

    default void onPong(ClientWebSocket ws, ByteBuffer payload) throws Exception {}

    /** A send that reported BACKPRESSURE has drained. */
    default void onDrain(ClientWebSocket ws) throws Exception {}

    /**
     * The connection is gone. {@code code} is the close code of whoever started the closing
     * handshake, 1006 when it ended without one.
     */
    default void onClose(ClientWebSocket ws, int code, String reason) throws Exception {}

    /**
     * Connecting failed: refused, connect or TLS failure, timeout
     * ({@link java.net.SocketTimeoutException}), or an invalid 101. No other event follows.
     */
    default void onError(Throwable error) {}
}

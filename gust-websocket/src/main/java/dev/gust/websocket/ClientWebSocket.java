package dev.gust.websocket;

import dev.gust.loop.Loop;
import dev.gust.websocket.deflate.DeflateParameters;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The client end of a WebSocket opened by {@link WebSocketClient}. Methods are for the loop thread
 * (inside {@link ClientListener} callbacks); from other threads use {@link #loop()}{@code .defer(...)}
 * or the blocking style ({@link BlockingClientWebSocket}).
 *
 * <pre>{@code
 * client.connect(URI.create("ws://127.0.0.1:9001/echo"), ClientOptions.defaults(), new ClientListener() {
 *     public void onOpen(ClientWebSocket ws) { ws.send("hello"); }
 *     public void onMessage(ClientWebSocket ws, WebSocketMessage msg) { System.out.println(msg.text()); ws.close(); }
 * });
 * }</pre>
 *
 * <p>Sends report the same {@link SendResult}s as the server side: SUCCESS, BACKPRESSURE (queued;
 * {@link ClientListener#onDrain} follows) or DROPPED (over {@link ClientOptions#maxBackpressure},
 * or not open).
 */
public interface ClientWebSocket {
    SendResult send(String text);

    /** Sends a message as text or binary, as it was received. */
    SendResult send(WebSocketMessage message);

    SendResult sendBinary(ByteBuffer data);

    SendResult sendBinary(byte[] data);

    /** Sends a ping (at most 125 bytes); pongs to the server's pings are automatic. */
    SendResult ping(ByteBuffer payload);

    /** Starts the closing handshake; {@link ClientListener#onClose} follows once TCP is closed. */
    void close(int code, String reason);

    /** Closes normally (1000). */
    default void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    /** Drops the connection at once, without a closing handshake (reported as 1006). */
    void terminate();

    boolean isOpen();

    /** The subprotocol the server chose, or null. */
    String subprotocol();

    /** The agreed permessage-deflate parameters, or null when uncompressed. */
    DeflateParameters compression();

    /** Bytes waiting to be written (backpressure). */
    long getBufferedAmount();

    InetSocketAddress remoteAddress();

    Loop loop();
}

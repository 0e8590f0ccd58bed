package dev.gust.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A WebSocket for blocking code on a virtual thread: receive blocks until a message arrives,
 * sends block while the client is slow (backpressure), iteration ends when the connection closes.
 *
 * <pre>{@code
 * app.wsBlocking("/echo", ws -> {
 *     for (WebSocketMessage msg : ws) ws.send(msg);
 * });
 * }</pre>
 *
 * @param <U> the user data attached at upgrade
 */
public interface BlockingWebSocket<U> extends Iterable<WebSocketMessage> {
    /** The next message, or null once the connection has closed. */
    WebSocketMessage receive() throws InterruptedException;

    /** The next message, or null if none arrives within {@code timeout} or the connection closed. */
    WebSocketMessage receive(Duration timeout) throws InterruptedException;

    /** Sends text; blocks while the client is over the backpressure limit. */
    SendResult send(String text);

    /** Sends a message (text or binary as received). */
    SendResult send(WebSocketMessage message);

    SendResult sendBinary(byte[] data);

    SendResult sendBinary(ByteBuffer data);

    SendResult sendJson(Object value);

    boolean subscribe(String topic);

    boolean unsubscribe(String topic);

    /** Publishes to every subscriber of {@code topic} except this connection. */
    int publish(String topic, String text);

    /** Closes with {@code code} and {@code reason} (closing handshake). */
    void close(int code, String reason);

    /** True until the connection has closed. */
    boolean isOpen();

    /** The close code once closed (1006 if the connection dropped), else -1. */
    int closeCode();

    U data();

    String param(String name);

    /** The non-blocking view, for calls not mirrored here (use only via {@code loop().defer}). */
    WebSocket<U> socket();
}

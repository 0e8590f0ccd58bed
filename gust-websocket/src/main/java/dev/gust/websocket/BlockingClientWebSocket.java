package dev.gust.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A client WebSocket for blocking code on a virtual thread (from
 * {@link WebSocketClient#connectBlocking}): receive blocks until a message arrives, sends block
 * while the server is slow, iteration ends when the connection closes. Any thread.
 *
 * <pre>{@code
 * try (var ws = client.connectBlocking(URI.create("ws://127.0.0.1:9001/echo"), ClientOptions.defaults())) {
 *     ws.send("hello");
 *     for (WebSocketMessage msg : ws) System.out.println(msg.text());
 * }
 * }</pre>
 */
public interface BlockingClientWebSocket extends Iterable<WebSocketMessage>, AutoCloseable {
    /** The next message (a copy), or null once the connection has closed. */
    WebSocketMessage receive() throws InterruptedException;

    /** The next message, or null if none arrives within {@code timeout} or the connection closed. */
    WebSocketMessage receive(Duration timeout) throws InterruptedException;

    /** Sends text; on BACKPRESSURE it returns once the bytes have drained. */
    SendResult send(String text);

    SendResult send(WebSocketMessage message);

    SendResult sendBinary(byte[] data);

    /** Sends a ping; the pong shows up in {@link #socket()}'s listener only. */
    SendResult ping(byte[] payload);

    /** Starts the closing handshake (returns at once; {@link #awaitClose} waits for the end). */
    void close(int code, String reason);

    /** Closes with 1000 and waits (bounded by the close timeout) until the connection is gone. */
    @Override
    void close();

    /** Waits until the connection has closed; returns its close code, or -1 if still open after {@code timeout}. */
    int awaitClose(Duration timeout) throws InterruptedException;

    boolean isOpen();

    /** The close code once closed (1006 if the connection dropped), else -1. */
    int closeCode();

    /** The close reason once closed, else null. */
    String closeReason();

    String subprotocol();

    /** The non-blocking side (use only on its loop). */
    ClientWebSocket socket();
}

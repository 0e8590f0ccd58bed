package dev.gust.websocket;

import dev.gust.loop.Loop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One WebSocket connection on the server, with its typed user data {@code U}. Loop-thread methods
 * run inside the behavior's callbacks; from another thread use {@link #loop()}{@code .defer(...)}.
 *
 * <pre>{@code
 * .open(ws -> ws.subscribe("room/" + ws.param("room")))
 * .message((ws, msg) -> {
 *     if (ws.send(msg) == SendResult.DROPPED) log("slow client " + ws.remoteAddress());
 *     ws.publish("room/" + ws.param("room"), msg);   // to every subscriber but ws, framed once
 * })
 * }</pre>
 *
 * @param <U> the per-connection user data attached at upgrade
 */
public interface WebSocket<U> {
    /** The user data attached by the upgrade handler (null if none). */
    U data();

    /** A route parameter captured at upgrade, e.g. {@code ws.param("room")} for {@code /chat/:room}. */
    String param(String name);

    /** The negotiated subprotocol, or null. */
    String subprotocol();

    /** Sends a text message. */
    SendResult send(String text);

    /** Sends a received message on (text stays text, binary stays binary) without re-encoding. */
    SendResult send(WebSocketMessage message);

    /** Sends a binary message ({@code data} is consumed). */
    SendResult sendBinary(ByteBuffer data);

    /** Sends a binary message. */
    SendResult sendBinary(byte[] data);

    /** Sends {@code value} as a JSON text message, encoded with the app's {@link JsonCodec}. */
    SendResult sendJson(Object value);

    /** Sends a ping with up to 125 bytes of payload. */
    SendResult ping(ByteBuffer payload);

    /** Bytes waiting to be written to this client. */
    long getBufferedAmount();

    /** Runs {@code sends} with the socket corked: all its sends leave in one syscall. */
    void cork(Runnable sends);

    /** Starts the closing handshake with {@code code} and {@code reason} (at most 123 UTF-8 bytes). */
    void close(int code, String reason);

    /** Closes with 1000 (normal closure). */
    default void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    /** Same as {@link #close(int, String)} (uWebSockets' name). */
    default void end(int code, String reason) {
        close(code, reason);
    }

    /** Cuts the connection at once, without a closing handshake (close callback gets 1006). */
    void terminate();

    /** True until the connection is closed or closing. */
    boolean isOpen();

    /** Subscribes to {@code topic}; returns false if already subscribed. */
    boolean subscribe(String topic);

    /** Unsubscribes; returns false if not subscribed. */
    boolean unsubscribe(String topic);

    boolean isSubscribed(String topic);

    /** The topics this connection is subscribed to. */
    List<String> topics();

    /** Publishes to every subscriber of {@code topic} except this connection; returns deliveries made. */
    int publish(String topic, String text);

    /** Publishes a received message on as-is (text or binary) to every subscriber but this connection. */
    int publish(String topic, WebSocketMessage message);

    /** Publishes binary data to every subscriber of {@code topic} but this connection. */
    int publishBinary(String topic, ByteBuffer data);

    InetSocketAddress remoteAddress();

    /** The loop this connection lives on. */
    Loop loop();
}

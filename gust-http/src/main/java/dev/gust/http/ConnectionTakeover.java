package dev.gust.http;

import java.nio.ByteBuffer;

/**
 * A protocol that takes over an HTTP connection after an upgrade (WebSocket). Installed with
 * {@link HttpResponse#takeOver}; from then on the connection's socket events go here. Loop thread only.
 */
public interface ConnectionTakeover {
    /** Bytes arrived (the loop's shared buffer, valid only during the call). */
    void onData(ByteBuffer data);

    /** Buffered writes drained. */
    void onWritable();

    /** The peer half-closed. */
    void onEnd();

    /** The socket closed with a {@link dev.gust.loop.CloseCode}. */
    void onClose(int code);

    /** The socket's idle timeout fired. */
    void onTimeout();

    /** The socket's long timeout (maximum lifetime) fired; the default closes the socket. */
    default void onLongTimeout() {}

    /** The server is shutting down gracefully: say goodbye (e.g. WebSocket close 1001), then close. */
    void onServerShutdown();
}

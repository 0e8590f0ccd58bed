package dev.gust.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The events of the sockets of one {@link SocketContext}. Every method runs on the loop thread and
 * must not block. A method that throws closes its socket with {@link CloseCode#CALLBACK_ERROR}
 * (the error is logged); the loop carries on.
 *
 * <pre>{@code
 * SocketHandler<Void> echo = new SocketHandler<>() {
 *     public void onData(Socket<Void> s, ByteBuffer data) { s.write(data); }
 * };
 * }</pre>
 *
 * @param <S> the per-socket state type
 */
public interface SocketHandler<S> {
    /** A connection is established: accepted ({@code isClient == false}) or connected. */
    default void onOpen(Socket<S> socket, boolean isClient, InetSocketAddress remote) {}

    /**
     * A connection moved here from another context with {@link Socket#moveTo} is now watched by this
     * loop: the first callback of {@code socket} (already carrying the state given to moveTo). The
     * default treats it like a new connection and calls {@link #onOpen}.
     */
    default void onAdopted(Socket<S> socket) {
        onOpen(socket, socket.isClient(), socket.remoteAddress());
    }

    /**
     * Bytes arrived. {@code data} is the loop's shared receive buffer: it is valid only during this
     * call (copy what you keep) and you may modify it in place.
     */
    default void onData(Socket<S> socket, ByteBuffer data) {}

    /** Everything that had to wait was written: the socket can take more without buffering (drain). */
    default void onWritable(Socket<S> socket) {}

    /**
     * The peer shut down its sending side (half-close). The default shuts down ours too once
     * buffered writes are out, which closes the socket; override to keep writing.
     */
    default void onEnd(Socket<S> socket) {
        socket.shutdown();
    }

    /** The socket closed; {@code code} is one of {@link CloseCode} or a code given to {@link Socket#close(int)}. */
    default void onClose(Socket<S> socket, int code) {}

    /** The idle timeout set with {@link Socket#timeout} expired. The default closes the socket. */
    default void onTimeout(Socket<S> socket) {
        socket.close(CloseCode.TIMEOUT);
    }

    /** The long timeout set with {@link Socket#longTimeout} expired. The default closes the socket. */
    default void onLongTimeout(Socket<S> socket) {
        socket.close(CloseCode.TIMEOUT);
    }

    /** A client connect failed (refused, unreachable, timed out). No {@link #onClose} follows. */
    default void onConnectError(Socket<S> socket, IOException error) {}
}

package dev.gust.loop.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/** One stream or listening socket of a {@link Poller}. Loop thread only. */
public interface IoHandle {
    /** Reads into {@code dst}; returns bytes read, 0 if none available, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes as much as the kernel takes now; returns the bytes written. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Writes as much as the kernel takes now; returns the bytes written. */
    int write(ByteBuffer src) throws IOException;

    /** Accepts one pending connection, or returns null when there is none. */
    IoHandle accept(Object attachment) throws IOException;

    /** Completes a connect after {@link Readiness#CONNECT}; true when connected. */
    boolean finishConnect() throws IOException;

    /** Sets the readiness to watch, a set of {@link Readiness} bits. */
    void interest(int ops);

    /** The current interest bits. */
    int interest();

    void shutdownOutput() throws IOException;

    void shutdownInput() throws IOException;

    /** Closes the handle; {@code abortive} sends a reset (SO_LINGER 0) instead of a FIN. */
    void close(boolean abortive);

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /**
     * Takes this connected stream socket out of its poller without closing it: no more readiness is
     * reported for it and this handle is dead from now on (its operations fail as if closed). The
     * result can be adopted by another poller of the same transport, on another loop thread.
     *
     * @throws IllegalStateException         for a listener or a handle that is closed or already detached
     * @throws UnsupportedOperationException when the transport cannot hand sockets over (the default)
     */
    default DetachedHandle detach() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot detach sockets");
    }

    /** Sets TCP_NODELAY (the loop core corks writes itself, so Nagle only adds latency). */
    void noDelay(boolean on) throws IOException;

    /**
     * Sets a socket option on the kernel socket, with the JDK's rules: an option the transport does
     * not support throws {@link UnsupportedOperationException}, a bad value (null, a negative buffer
     * size) {@link IllegalArgumentException}, a closed handle {@link java.nio.channels.ClosedChannelException}.
     * The default (third-party transports) supports nothing.
     */
    default <T> void setOption(SocketOption<T> name, T value) throws IOException {
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }

    /** Reads a socket option back from the kernel, as NIO reports it (Linux buffer sizes halved, like the JDK); rules as {@link #setOption}. */
    default <T> T getOption(SocketOption<T> name) throws IOException {
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }
}

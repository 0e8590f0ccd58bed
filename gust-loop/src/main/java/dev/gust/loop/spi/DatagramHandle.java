package dev.gust.loop.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** One UDP socket of a {@link Poller}. Loop thread only. */
public interface DatagramHandle {
    /** Receives one datagram into {@code dst}; returns its sender, or null when none is waiting. */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** Takes received datagrams one at a time; see {@link #receiveMany}. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param data the datagram's bytes, between position and limit (valid during the call only)
         * @return false to stop receiving (the socket was closed, say)
         */
        boolean datagram(ByteBuffer data, InetSocketAddress from);
    }

    /**
     * Receives up to {@code max} waiting datagrams into {@code dst} and hands each to {@code sink}
     * before returning, so none is left behind in user space. A transport may fetch several with one
     * system call (Linux: recvmmsg into slices of {@code dst}); the default calls {@link #receive}
     * once per datagram. A datagram longer than what {@code dst} (or its slice) holds is truncated,
     * as with {@link #receive}, so callers pass a buffer of at least 128 KiB to keep datagrams whole.
     *
     * @return the number of datagrams handed over
     */
    default int receiveMany(ByteBuffer dst, int max, Sink sink) throws IOException {
        int n = 0;
        while (n < max) {
            dst.clear();
            InetSocketAddress from = receive(dst);
            if (from == null) break;
            dst.flip();
            n++;
            if (!sink.datagram(dst, from)) break;
        }
        return n;
    }

    /** Sends one datagram; returns false when the kernel buffer is full (try again when writable). */
    boolean send(ByteBuffer src, InetSocketAddress target) throws IOException;

    /** Connects (filters and defaults the peer); {@code null} disconnects. */
    void connect(InetSocketAddress remote) throws IOException;

    /** Sets the readiness to watch, a set of {@link Readiness} bits. */
    void interest(int ops);

    InetSocketAddress localAddress();

    void close();
}

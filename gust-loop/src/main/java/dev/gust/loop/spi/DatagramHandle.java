package dev.gust.loop.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** One UDP socket of a {@link Poller}. Loop thread only. */
public interface DatagramHandle {
    /** Receives one datagram into {@code dst}; returns its sender, or null when none is waiting. */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** Sends one datagram; returns false when the kernel buffer is full (try again when writable). */
    boolean send(ByteBuffer src, InetSocketAddress target) throws IOException;

    /** Connects (filters and defaults the peer); {@code null} disconnects. */
    void connect(InetSocketAddress remote) throws IOException;

    /** Sets the readiness to watch, a set of {@link Readiness} bits. */
    void interest(int ops);

    InetSocketAddress localAddress();

    void close();
}

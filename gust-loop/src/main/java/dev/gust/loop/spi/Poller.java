package dev.gust.loop.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Waits for readiness of the handles it opened. Used only by its loop's thread, except {@link #wakeup()}. */
public interface Poller extends AutoCloseable {

    /** Opens a listening TCP socket. */
    IoHandle listen(InetSocketAddress address, int backlog, boolean reusePort, boolean exclusive, Object attachment)
            throws IOException;

    /** Starts a non-blocking TCP connect; readiness {@link Readiness#CONNECT} reports completion. */
    IoHandle connect(InetSocketAddress remote, InetSocketAddress source, Object attachment) throws IOException;

    /** Opens a UDP socket bound to {@code local} (port 0 for any). */
    DatagramHandle openDatagram(InetSocketAddress local, boolean reusePort, Object attachment) throws IOException;

    /**
     * Takes over a socket detached from another (or this) poller of the same transport. Interest
     * starts empty, as for a fresh handle; set it to start watching.
     *
     * @throws IllegalArgumentException      when {@code detached} comes from another transport or was adopted already
     * @throws UnsupportedOperationException when the transport cannot hand sockets over (the default)
     */
    default IoHandle adopt(DetachedHandle detached, Object attachment) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot adopt sockets");
    }

    /**
     * Waits until a handle is ready, {@link #wakeup()} is called, or the timeout passes, then reports
     * every ready handle to the sink.
     *
     * @param timeoutNanos 0 to return at once, negative to wait without limit
     * @return the number of handles reported
     */
    int poll(long timeoutNanos) throws IOException;

    /** Makes a blocked or the next {@link #poll} return; callable from any thread. */
    void wakeup();

    @Override
    void close() throws IOException;
}

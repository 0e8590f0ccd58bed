package dev.gust.loop.spi;

/**
 * An open stream socket taken out of its {@link Poller} by {@link IoHandle#detach()}, on its way to
 * another poller of the same transport ({@link Poller#adopt}). It is watched by no poller; the
 * connection stays up and the kernel keeps receiving into the socket's buffer meanwhile. Any thread
 * may carry it; it must be adopted or {@link #close() closed} exactly once.
 */
public interface DetachedHandle {
    /** The name of the transport that detached it; only a poller of that transport can adopt it. */
    String transport();

    /** Closes the socket when nobody will adopt it (the target went away). Idempotent. */
    void close();
}

package dev.gust.loop.linux;

import dev.gust.loop.spi.DetachedHandle;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open fd between two pollers; whoever takes it first (adopt or close) owns it. */
final class LinuxDetached implements DetachedHandle {
    private final int fd;
    private final InetSocketAddress remote;
    private final String transport;
    private final byte[] unread;
    private final AtomicBoolean taken = new AtomicBoolean();

    /** @param unread bytes the old poller had received already (io_uring), or null */
    LinuxDetached(int fd, InetSocketAddress remote, String transport, byte[] unread) {
        this.fd = fd;
        this.remote = remote;
        this.transport = transport;
        this.unread = unread;
    }

    /** Bytes received from the kernel before the hand-off and not read yet: read first by the adopter. */
    byte[] unread() {
        return unread;
    }

    int take() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalArgumentException("this detached handle was adopted or closed already");
        }
        return fd;
    }

    InetSocketAddress remote() {
        return remote;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public void close() {
        if (!taken.compareAndSet(false, true)) return;
        // Rare path (the target went away): a confined arena for errno, as no poller's scratch is ours.
        try (Arena a = Arena.ofConfined()) {
            LibC.close(a.allocate(LibC.CAPTURE_LAYOUT), fd);
        }
    }
}

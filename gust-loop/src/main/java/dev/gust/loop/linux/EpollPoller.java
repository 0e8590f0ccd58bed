package dev.gust.loop.linux;

import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.lang.foreign.ValueLayout;

/**
 * A level-triggered epoll set.
 *
 * <p>Level-triggered because it is exactly the SPI's contract: the loop core reads once per
 * readiness (into its 512 KiB buffer) and relies on being told again while bytes remain, and it
 * toggles write interest only while output waits. Edge-triggered would need a read-until-EAGAIN
 * (one extra syscall per event) to be safe; level-triggered costs an epoll_ctl only when a socket's
 * interest really changes, which in steady echo traffic is never.
 */
final class EpollPoller extends LinuxPoller {
    private final int epfd;

    EpollPoller(Readiness sink) throws IOException {
        super(sink);
        epfd = LibC.epollCreate1(scratch.err, LibC.EPOLL_CLOEXEC);
        if (epfd < 0 || ctl(LibC.EPOLL_CTL_ADD, eventFd, LibC.EPOLLIN, eventFd) < 0) {
            IOException e = Errors.io(LibC.errno(scratch.err));
            close();
            throw e;
        }
    }

    private int ctl(int op, int fd, int events, long data) {
        scratch.opt.set(ValueLayout.JAVA_INT, 0, events);
        scratch.opt.set(ValueLayout.JAVA_LONG_UNALIGNED, LibC.EPOLL_DATA_OFFSET, data);
        return LibC.epollCtl(scratch.err, epfd, op, fd, scratch.optAddress);
    }

    /** No syscall when the epoll mask is unchanged. */
    @Override
    void update(LinuxFd h) {
        int mask = LinuxFd.toEpoll(h.interest);
        if (mask == h.epollMask) return;
        // Interest 0 leaves the set, as in NIO: a level-triggered HUP would otherwise be reported forever.
        int op = mask == 0 ? LibC.EPOLL_CTL_DEL : h.epollMask == 0 ? LibC.EPOLL_CTL_ADD : LibC.EPOLL_CTL_MOD;
        if (ctl(op, h.fd, mask, ((long) h.serial << 32) | (h.fd & 0xFFFF_FFFFL)) == 0) h.epollMask = mask;
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        int millis = timeoutNanos == 0 ? 0 : timeoutNanos < 0 ? -1
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        int n = LibC.epollWait(scratch.err, epfd, scratch.eventsAddress, Scratch.MAX_EVENTS, millis);
        if (n < 0) {
            int e = LibC.errno(scratch.err);
            if (e == LibC.EINTR) return 0;
            throw Errors.io(e);
        }
        var events = scratch.events;
        int reported = 0;
        for (int i = 0; i < n; i++) {
            long at = i * LibC.EPOLL_EVENT_SIZE;
            int ev = events.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            long data = events.get(ValueLayout.JAVA_LONG_UNALIGNED, at + LibC.EPOLL_DATA_OFFSET);
            int fd = (int) data;
            if (fd == eventFd) {
                drainWakeups();
                continue;
            }
            LinuxFd h = lookup(fd);
            // Closed earlier in this pass (maybe with the fd reused since): the event is stale.
            if (h == null || h.serial != (int) (data >>> 32)) continue;
            int ops = h.readyOps(ev);
            if (ops == 0) continue;
            reported++;
            sink.ready(h.attachment, ops);
        }
        return reported;
    }

    @Override
    String transportName() {
        return "epoll";
    }

    @Override
    void closeSet() {
        if (epfd >= 0) LibC.close(scratch.err, epfd);
    }
}

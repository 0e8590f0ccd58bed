package dev.gust.loop.epoll;

import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * A level-triggered epoll set plus an eventfd for wakeups.
 *
 * <p>Level-triggered because it is exactly the SPI's contract: the loop core reads once per
 * readiness (into its 512 KiB buffer) and relies on being told again while bytes remain, and it
 * toggles write interest only while output waits. Edge-triggered would need a read-until-EAGAIN
 * (one extra syscall per event) to be safe; level-triggered costs an epoll_ctl only when a socket's
 * interest really changes, which in steady echo traffic is never.
 */
final class EpollPoller implements Poller {
    private final Readiness sink;
    private final Arena arena = Arena.ofShared(); // the loop thread uses it, not the creating thread
    final Scratch scratch;
    private final int epfd;
    private final int eventFd;
    private final long wakeValue;
    private final Object wakeLock = new Object();
    private volatile boolean closed;
    private EpollFd[] byFd = new EpollFd[1024];
    private int serials;

    EpollPoller(Readiness sink) throws IOException {
        this.sink = sink;
        this.scratch = new Scratch(arena);
        var wake = arena.allocate(ValueLayout.JAVA_LONG);
        wake.set(ValueLayout.JAVA_LONG, 0, 1L);
        wakeValue = wake.address();
        epfd = LibC.epollCreate1(scratch.err, LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            int e = LibC.errno(scratch.err);
            arena.close();
            throw Errors.io(e);
        }
        eventFd = LibC.eventfd(scratch.err, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (eventFd < 0 || ctl(LibC.EPOLL_CTL_ADD, eventFd, LibC.EPOLLIN, eventFd) < 0) {
            int e = LibC.errno(scratch.err);
            if (eventFd >= 0) LibC.close(scratch.err, eventFd);
            LibC.close(scratch.err, epfd);
            arena.close();
            throw Errors.io(e);
        }
    }

    // ------------------------------------------------------------------ the fd table

    int adopt(EpollFd h) {
        if (h.fd >= byFd.length) byFd = java.util.Arrays.copyOf(byFd, Math.max(h.fd + 1, byFd.length * 2));
        byFd[h.fd] = h;
        return ++serials;
    }

    void forget(EpollFd h) {
        if (h.fd < byFd.length && byFd[h.fd] == h) byFd[h.fd] = null;
    }

    private int ctl(int op, int fd, int events, long data) {
        scratch.opt.set(ValueLayout.JAVA_INT, 0, events);
        scratch.opt.set(ValueLayout.JAVA_LONG_UNALIGNED, LibC.EPOLL_DATA_OFFSET, data);
        return LibC.epollCtl(scratch.err, epfd, op, fd, scratch.optAddress);
    }

    /** Mirrors a handle's interest into the epoll set; no syscall when the mask is unchanged. */
    void update(EpollFd h) {
        int mask = EpollFd.toEpoll(h.interest);
        if (mask == h.epollMask) return;
        // Interest 0 leaves the set, as in NIO: a level-triggered HUP would otherwise be reported forever.
        int op = mask == 0 ? LibC.EPOLL_CTL_DEL : h.epollMask == 0 ? LibC.EPOLL_CTL_ADD : LibC.EPOLL_CTL_MOD;
        if (ctl(op, h.fd, mask, ((long) h.serial << 32) | (h.fd & 0xFFFF_FFFFL)) == 0) h.epollMask = mask;
    }

    // ------------------------------------------------------------------ opening sockets

    private int open(int family, int type) throws IOException {
        int fd = LibC.socket(scratch.err, family, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) throw Errors.io(LibC.errno(scratch.err));
        return fd;
    }

    int setInt(int fd, int level, int name, int value) {
        scratch.opt.set(ValueLayout.JAVA_INT, 0, value);
        return LibC.setsockopt(scratch.err, fd, level, name, scratch.optAddress, 4);
    }

    void setIntOrThrow(int fd, int level, int name, int value) throws IOException {
        if (setInt(fd, level, name, value) < 0) throw Errors.io(LibC.errno(scratch.err));
    }

    private void bindOrThrow(int fd, InetSocketAddress local) throws IOException {
        int len = SockAddr.encode(local, scratch.addr);
        if (LibC.bind(scratch.err, fd, scratch.addrAddress, len) < 0) throw Errors.bind(LibC.errno(scratch.err));
    }

    /** getsockname/getpeername into the scratch sockaddr; null on failure. */
    InetSocketAddress name(int fd, boolean peer) {
        scratch.resetLen();
        int r = peer ? LibC.getpeername(scratch.err, fd, scratch.addrAddress, scratch.lenAddress)
                : LibC.getsockname(scratch.err, fd, scratch.addrAddress, scratch.lenAddress);
        return r < 0 ? null : SockAddr.decode(scratch.addr);
    }

    @Override
    public IoHandle listen(InetSocketAddress address, int backlog, boolean reusePort, boolean exclusive,
                           Object attachment) throws IOException {
        int fd = open(SockAddr.family(address), LibC.SOCK_STREAM);
        try {
            // "exclusive" means no other socket may share the port: no SO_REUSEADDR, no SO_REUSEPORT.
            setIntOrThrow(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, exclusive ? 0 : 1);
            if (reusePort && !exclusive) setIntOrThrow(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1);
            bindOrThrow(fd, address);
            if (LibC.listen(scratch.err, fd, backlog < 1 ? 50 : backlog) < 0) throw Errors.io(LibC.errno(scratch.err));
        } catch (IOException | RuntimeException e) {
            LibC.close(scratch.err, fd);
            throw e;
        }
        EpollStreamHandle h = new EpollStreamHandle(this, fd, attachment, true, null);
        h.interest(Readiness.ACCEPT);
        return h;
    }

    @Override
    public IoHandle connect(InetSocketAddress remote, InetSocketAddress source, Object attachment) throws IOException {
        int fd = open(SockAddr.family(remote), LibC.SOCK_STREAM);
        boolean connected;
        try {
            setIntOrThrow(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 1);
            if (source != null) bindOrThrow(fd, source);
            int len = SockAddr.encode(remote, scratch.addr);
            connected = LibC.connect(scratch.err, fd, scratch.addrAddress, len) == 0;
            if (!connected) {
                int e = LibC.errno(scratch.err);
                if (e != LibC.EINPROGRESS) throw Errors.connect(e);
            }
        } catch (IOException | RuntimeException e) {
            LibC.close(scratch.err, fd);
            throw e;
        }
        EpollStreamHandle h = new EpollStreamHandle(this, fd, attachment, false, remote);
        h.connected = connected;
        h.interest(connected ? Readiness.WRITE : Readiness.CONNECT);
        return h;
    }

    /** Wraps an accepted fd. */
    EpollStreamHandle accepted(int fd, Object attachment, InetSocketAddress remote) {
        EpollStreamHandle h = new EpollStreamHandle(this, fd, attachment, false, remote);
        h.connected = true;
        return h;
    }

    @Override
    public DatagramHandle openDatagram(InetSocketAddress local, boolean reusePort, Object attachment)
            throws IOException {
        int fd = open(SockAddr.family(local), LibC.SOCK_DGRAM);
        try {
            if (reusePort) setIntOrThrow(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1);
            bindOrThrow(fd, local);
        } catch (IOException | RuntimeException e) {
            LibC.close(scratch.err, fd);
            throw e;
        }
        return new EpollDatagramHandle(this, fd, attachment);
    }

    // ------------------------------------------------------------------ polling

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
                LibC.read(scratch.err, eventFd, scratch.optAddress, 8); // reset the counter
                continue;
            }
            EpollFd h = fd < byFd.length ? byFd[fd] : null;
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
    public void wakeup() {
        // The lock only orders wakeups against close (never write to a closed, possibly reused, fd);
        // the loop core already folds a burst of wakeups into one.
        synchronized (wakeLock) {
            if (!closed) LibC.writeNoErrno(eventFd, wakeValue, 8);
        }
    }

    @Override
    public void close() {
        synchronized (wakeLock) {
            if (closed) return;
            closed = true;
        }
        LibC.close(scratch.err, eventFd);
        LibC.close(scratch.err, epfd);
        arena.close();
    }
}

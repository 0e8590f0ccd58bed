package dev.gust.loop.linux;

import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * What the Linux pollers share: opening sockets, the fd table, scratch memory and the eventfd that
 * wakes the loop. Subclasses supply the readiness mechanism (epoll or io_uring).
 */
abstract class LinuxPoller implements Poller {
    final Readiness sink;
    final Arena arena = Arena.ofShared(); // the loop thread uses it, not the creating thread
    final Scratch scratch;
    private final Object nameLock = new Object();
    private final Scratch.Names nameBuffers;
    final int eventFd;
    private final long wakeValue;
    private final Object wakeLock = new Object();
    private volatile boolean closed;
    private LinuxFd[] byFd = new LinuxFd[1024];
    private int serials;

    LinuxPoller(Readiness sink) throws IOException {
        this.sink = sink;
        this.scratch = new Scratch(arena);
        this.nameBuffers = new Scratch.Names(arena);
        var wake = arena.allocate(ValueLayout.JAVA_LONG);
        wake.set(ValueLayout.JAVA_LONG, 0, 1L);
        wakeValue = wake.address();
        eventFd = LibC.eventfd(scratch.err, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (eventFd < 0) {
            int e = LibC.errno(scratch.err);
            arena.close();
            throw Errors.io(e);
        }
    }

    /** Resets the wakeup counter after the eventfd was reported readable. */
    final void drainWakeups() {
        LibC.read(scratch.err, eventFd, scratch.optAddress, 8);
    }

    /** Mirrors a handle's interest into the readiness set. */
    abstract void update(LinuxFd h);

    /** Releases the readiness set (the poller is closing). */
    abstract void closeSet();

    // ------------------------------------------------------------------ the fd table

    int adopt(LinuxFd h) {
        if (h.fd >= byFd.length) byFd = java.util.Arrays.copyOf(byFd, Math.max(h.fd + 1, byFd.length * 2));
        byFd[h.fd] = h;
        return ++serials;
    }

    void forget(LinuxFd h) {
        if (h.fd < byFd.length && byFd[h.fd] == h) byFd[h.fd] = null;
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

    /**
     * getsockname/getpeername; null on failure. Address getters may be called from any thread (as
     * with NIO), so this uses its own small buffers under a lock, never the loop thread's scratch.
     */
    InetSocketAddress name(int fd, boolean peer) {
        synchronized (nameLock) {
            nameBuffers.resetLen();
            int r = peer ? LibC.getpeername(nameBuffers.err, fd, nameBuffers.addrAddress, nameBuffers.lenAddress)
                    : LibC.getsockname(nameBuffers.err, fd, nameBuffers.addrAddress, nameBuffers.lenAddress);
            return r < 0 ? null : SockAddr.decode(nameBuffers.addr);
        }
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
        LinuxStreamHandle h = stream(fd, attachment, true, null);
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
        LinuxStreamHandle h = stream(fd, attachment, false, remote);
        h.connected = connected;
        h.interest(connected ? Readiness.WRITE : Readiness.CONNECT);
        return h;
    }

    /** A handle for a TCP socket or listener of this poller. */
    LinuxStreamHandle stream(int fd, Object attachment, boolean listener, InetSocketAddress remote) {
        return new LinuxStreamHandle(this, fd, attachment, listener, remote);
    }

    /** Wraps an accepted fd. */
    LinuxStreamHandle accepted(int fd, Object attachment, InetSocketAddress remote) {
        LinuxStreamHandle h = stream(fd, attachment, false, remote);
        h.connected = true;
        return h;
    }

    /** The transport name a detached handle must carry to be adopted here. */
    abstract String transportName();

    @Override
    public IoHandle adopt(dev.gust.loop.spi.DetachedHandle detached, Object attachment) {
        if (!(detached instanceof LinuxDetached token) || !token.transport().equals(transportName())) {
            throw new IllegalArgumentException("cannot adopt a handle of transport '" + detached.transport()
                    + "' into " + transportName());
        }
        LinuxStreamHandle h = accepted(token.take(), attachment, token.remote());
        if (token.unread() != null) h.unread(token.unread());
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
        return new LinuxDatagramHandle(this, fd, attachment);
    }

    /** The handle an event is for, or null when it was closed (and maybe its fd reused) since. */
    final LinuxFd lookup(int fd) {
        return fd >= 0 && fd < byFd.length ? byFd[fd] : null;
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
    public final void close() {
        synchronized (wakeLock) {
            if (closed) return;
            closed = true;
        }
        closeSet();
        LibC.close(scratch.err, eventFd);
        arena.close();
    }
}

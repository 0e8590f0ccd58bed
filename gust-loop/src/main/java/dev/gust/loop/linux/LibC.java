package dev.gust.loop.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc functions the epoll transport calls, bound once through the FFM API.
 *
 * <p>Every call that can fail takes an errno capture segment first ({@link Linker.Option#captureCallState}),
 * so errno is read reliably even though the JVM itself may run native code between calls. Pointers
 * are passed as raw {@code long} addresses: all of them point into memory the caller keeps alive for
 * the call (its poller's arena, or a direct ByteBuffer it holds), and a long needs no MemorySegment
 * slice per call. That is valid on the 64-bit Linux targets this transport enables itself on.
 */
final class LibC {
    private LibC() {}

    // Linux constants (identical on x86_64 and aarch64: asm-generic).
    static final int AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
    static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9,
            SO_LINGER = 13, SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    static final int SHUT_RD = 0, SHUT_WR = 1;
    static final int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10;
    static final int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;

    static final int EINTR = 4, EAGAIN = 11, EINPROGRESS = 115, ENOTCONN = 107, ECONNABORTED = 103;

    /** struct epoll_event: packed (12 bytes) on x86_64, naturally aligned (16 bytes) elsewhere. */
    static final long EPOLL_EVENT_SIZE = "amd64".equals(System.getProperty("os.arch")) ? 12 : 16;
    static final long EPOLL_DATA_OFFSET = EPOLL_EVENT_SIZE == 12 ? 4 : 8;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = bind("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTEN = bind("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = bind("accept4", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle CONNECT = bind("connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SETSOCKOPT =
            bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle GETSOCKOPT =
            bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle GETPEERNAME = bind("getpeername", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SHUTDOWN = bind("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = bind("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = bind("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITEV = bind("writev", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDTO =
            bind("sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVFROM =
            bind("recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle RECVMMSG =
            bind("recvmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = bind("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    /** write(2) without errno capture: the cross-thread wakeup ignores failures (a full counter is awake anyway). */
    private static final MethodHandle WRITE_NOERR = LINKER.downcallHandle(symbol("write"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** syscall(2), for io_uring_setup/io_uring_enter (glibc has no wrappers); variadic after the number. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(symbol("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle MMAP =
            bind("mmap", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = bind("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc: no " + name));
    }

    private static MethodHandle bind(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), CAPTURE_ERRNO);
    }

    /** The errno captured by the last failing call made with {@code err}. */
    static int errno(MemorySegment err) {
        return (int) ERRNO.get(err, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    static int socket(MemorySegment err, int domain, int type, int protocol) {
        try { return (int) SOCKET.invokeExact(err, domain, type, protocol); } catch (Throwable t) { throw fail(t); }
    }

    static int bind(MemorySegment err, int fd, long addr, int len) {
        try { return (int) BIND.invokeExact(err, fd, addr, len); } catch (Throwable t) { throw fail(t); }
    }

    static int listen(MemorySegment err, int fd, int backlog) {
        try { return (int) LISTEN.invokeExact(err, fd, backlog); } catch (Throwable t) { throw fail(t); }
    }

    static int accept4(MemorySegment err, int fd, long addr, long lenPtr, int flags) {
        try { return (int) ACCEPT4.invokeExact(err, fd, addr, lenPtr, flags); } catch (Throwable t) { throw fail(t); }
    }

    static int connect(MemorySegment err, int fd, long addr, int len) {
        try { return (int) CONNECT.invokeExact(err, fd, addr, len); } catch (Throwable t) { throw fail(t); }
    }

    static int setsockopt(MemorySegment err, int fd, int level, int name, long value, int len) {
        try { return (int) SETSOCKOPT.invokeExact(err, fd, level, name, value, len); } catch (Throwable t) { throw fail(t); }
    }

    static int getsockopt(MemorySegment err, int fd, int level, int name, long value, long lenPtr) {
        try { return (int) GETSOCKOPT.invokeExact(err, fd, level, name, value, lenPtr); } catch (Throwable t) { throw fail(t); }
    }

    static int getsockname(MemorySegment err, int fd, long addr, long lenPtr) {
        try { return (int) GETSOCKNAME.invokeExact(err, fd, addr, lenPtr); } catch (Throwable t) { throw fail(t); }
    }

    static int getpeername(MemorySegment err, int fd, long addr, long lenPtr) {
        try { return (int) GETPEERNAME.invokeExact(err, fd, addr, lenPtr); } catch (Throwable t) { throw fail(t); }
    }

    static int shutdown(MemorySegment err, int fd, int how) {
        try { return (int) SHUTDOWN.invokeExact(err, fd, how); } catch (Throwable t) { throw fail(t); }
    }

    static int close(MemorySegment err, int fd) {
        try { return (int) CLOSE.invokeExact(err, fd); } catch (Throwable t) { throw fail(t); }
    }

    static long read(MemorySegment err, int fd, long buf, long len) {
        try { return (long) READ.invokeExact(err, fd, buf, len); } catch (Throwable t) { throw fail(t); }
    }

    static long write(MemorySegment err, int fd, long buf, long len) {
        try { return (long) WRITE.invokeExact(err, fd, buf, len); } catch (Throwable t) { throw fail(t); }
    }

    static long writeNoErrno(int fd, long buf, long len) {
        try { return (long) WRITE_NOERR.invokeExact(fd, buf, len); } catch (Throwable t) { throw fail(t); }
    }

    static long writev(MemorySegment err, int fd, long iov, int count) {
        try { return (long) WRITEV.invokeExact(err, fd, iov, count); } catch (Throwable t) { throw fail(t); }
    }

    static long sendto(MemorySegment err, int fd, long buf, long len, int flags, long addr, int addrLen) {
        try { return (long) SENDTO.invokeExact(err, fd, buf, len, flags, addr, addrLen); } catch (Throwable t) { throw fail(t); }
    }

    /** recvmmsg(2) without a timeout: {@code vec} points at {@code count} struct mmsghdr. */
    static int recvmmsg(MemorySegment err, int fd, long vec, int count, int flags) {
        try { return (int) RECVMMSG.invokeExact(err, fd, vec, count, flags, 0L); } catch (Throwable t) { throw fail(t); }
    }

    static long recvfrom(MemorySegment err, int fd, long buf, long len, int flags, long addr, long lenPtr) {
        try { return (long) RECVFROM.invokeExact(err, fd, buf, len, flags, addr, lenPtr); } catch (Throwable t) { throw fail(t); }
    }

    static int epollCreate1(MemorySegment err, int flags) {
        try { return (int) EPOLL_CREATE1.invokeExact(err, flags); } catch (Throwable t) { throw fail(t); }
    }

    static int epollCtl(MemorySegment err, int epfd, int op, int fd, long event) {
        try { return (int) EPOLL_CTL.invokeExact(err, epfd, op, fd, event); } catch (Throwable t) { throw fail(t); }
    }

    static int epollWait(MemorySegment err, int epfd, long events, int max, int timeoutMillis) {
        try { return (int) EPOLL_WAIT.invokeExact(err, epfd, events, max, timeoutMillis); } catch (Throwable t) { throw fail(t); }
    }

    static int eventfd(MemorySegment err, int initval, int flags) {
        try { return (int) EVENTFD.invokeExact(err, initval, flags); } catch (Throwable t) { throw fail(t); }
    }

    static long syscall(MemorySegment err, long number, long a, long b, long c, long d, long e, long f) {
        try { return (long) SYSCALL.invokeExact(err, number, a, b, c, d, e, f); } catch (Throwable t) { throw fail(t); }
    }

    static long mmap(MemorySegment err, long addr, long len, int prot, int flags, int fd, long offset) {
        try { return (long) MMAP.invokeExact(err, addr, len, prot, flags, fd, offset); } catch (Throwable t) { throw fail(t); }
    }

    static int munmap(MemorySegment err, long addr, long len) {
        try { return (int) MUNMAP.invokeExact(err, addr, len); } catch (Throwable t) { throw fail(t); }
    }
}

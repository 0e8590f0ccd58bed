package dev.gust.loop.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: io_uring_setup/io_uring_enter/io_uring_register through syscall(2), the
 * SQ/CQ rings and the SQE array mmapped, ring indices read and published with acquire/release
 * VarHandles (the kernel is the other side). Loop thread only. SQEs are queued by the op methods and
 * all go to the kernel in the one io_uring_enter that also waits ({@link #submitAndWait}).
 *
 * <p>Where the kernel has it (5.19+) the ring runs task work cooperatively: the kernel does
 * completion work when the loop thread enters it, never by interrupting the thread in the middle of a
 * callback. (Single-issuer rings with deferred task running measured no clear gain here — 152k vs
 * 146k echoes/s, within this machine's ±10 % noise — and would tie a loop to the first thread that
 * ran it, so they are not used.)
 */
final class Uring {
    private static final long SYS_IO_URING_SETUP = 425, SYS_IO_URING_ENTER = 426, SYS_IO_URING_REGISTER = 427; // x86_64 and aarch64
    private static final int SETUP_SUBMIT_ALL = 1 << 7, SETUP_COOP_TASKRUN = 1 << 8;
    private static final int FEAT_SINGLE_MMAP = 1, FEAT_NODROP = 1 << 1, FEAT_EXT_ARG = 1 << 8;
    private static final int ENTER_GETEVENTS = 1, ENTER_EXT_ARG = 1 << 3;
    private static final long OFF_SQ_RING = 0, OFF_SQES = 0x10000000L;
    private static final int PROT_RW = 3, MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final byte OP_POLL_ADD = 6, OP_POLL_REMOVE = 7, OP_ASYNC_CANCEL = 14, OP_SEND = 26, OP_RECV = 27;
    /** A send completes only when all of it is sent (or fails); no SIGPIPE (EPIPE instead). */
    private static final int MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
    private static final byte SQE_BUFFER_SELECT = 1 << 5;
    private static final short RECV_MULTISHOT = 1 << 1;
    static final int ETIME = 62, EBUSY = 16, ECANCELED = 125, ENOBUFS = 105, ENOENT = 2, EALREADY = 114;
    /** CQE flags: a provided buffer was used (its id in the upper 16 bits); more completions follow. */
    static final int CQE_F_BUFFER = 1, CQE_F_MORE = 2;
    /** user_data of SQEs whose completion means nothing to us (poll removals). */
    static final long IGNORED = -1L;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment err;
    final int fd;
    private final MemorySegment ring, sqes, enterArg;
    private final long ringAddress, ringSize, sqesSize;
    private final int sqHead, sqTail, sqMask, sqEntries, cqHead, cqTail, cqMask, cqes;
    private int sqTailLocal;
    /** Counts io_uring_enter calls that submitted: a queued SQE may still be changed while this stays the same. */
    int submissions;
    /** Completion work runs only when the loop thread enters the kernel: enter every pass to get it. */
    private final boolean cooperative;

    Uring(Arena arena, MemorySegment err, int entries) throws IOException {
        this.err = err;
        MemorySegment p = arena.allocate(120, 8); // struct io_uring_params, zeroed
        p.set(ValueLayout.JAVA_INT, 8, SETUP_SUBMIT_ALL | SETUP_COOP_TASKRUN);
        long r = LibC.syscall(err, SYS_IO_URING_SETUP, entries, p.address(), 0, 0, 0, 0);
        cooperative = r >= 0;
        if (r < 0) { // an older kernel: a plain ring
            p.fill((byte) 0);
            r = LibC.syscall(err, SYS_IO_URING_SETUP, entries, p.address(), 0, 0, 0, 0);
        }
        if (r < 0) throw new IOException("io_uring_setup: " + LibC.strerror(LibC.errno(err)));
        fd = (int) r;
        int features = p.get(ValueLayout.JAVA_INT, 20);
        int need = FEAT_SINGLE_MMAP | FEAT_NODROP | FEAT_EXT_ARG;
        if ((features & need) != need) {
            LibC.close(err, fd);
            throw new IOException("io_uring: kernel lacks single mmap / nodrop / ext arg (features 0x"
                    + Integer.toHexString(features) + ")");
        }
        sqEntries = p.get(ValueLayout.JAVA_INT, 0);
        int cqEntries = p.get(ValueLayout.JAVA_INT, 4);
        sqHead = p.get(ValueLayout.JAVA_INT, 40);
        sqTail = p.get(ValueLayout.JAVA_INT, 44);
        int sqMaskOff = p.get(ValueLayout.JAVA_INT, 48);
        int sqArray = p.get(ValueLayout.JAVA_INT, 64);
        cqHead = p.get(ValueLayout.JAVA_INT, 80);
        cqTail = p.get(ValueLayout.JAVA_INT, 84);
        int cqMaskOff = p.get(ValueLayout.JAVA_INT, 88);
        cqes = p.get(ValueLayout.JAVA_INT, 100);
        ringSize = Math.max(sqArray + 4L * sqEntries, cqes + 16L * cqEntries);
        sqesSize = 64L * sqEntries;
        long ra = LibC.mmap(err, 0, ringSize, PROT_RW, MAP_SHARED_POPULATE, fd, OFF_SQ_RING);
        long sa = ra == -1 ? -1 : LibC.mmap(err, 0, sqesSize, PROT_RW, MAP_SHARED_POPULATE, fd, OFF_SQES);
        if (ra == -1 || sa == -1) {
            IOException e = new IOException("io_uring mmap: " + LibC.strerror(LibC.errno(err)));
            if (ra != -1) LibC.munmap(err, ra, ringSize);
            LibC.close(err, fd);
            throw e;
        }
        ringAddress = ra;
        ring = MemorySegment.ofAddress(ra).reinterpret(ringSize);
        sqes = MemorySegment.ofAddress(sa).reinterpret(sqesSize);
        sqMask = ring.get(ValueLayout.JAVA_INT, sqMaskOff);
        cqMask = ring.get(ValueLayout.JAVA_INT, cqMaskOff);
        for (int i = 0; i < sqEntries; i++) ring.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i); // SQ slot i = SQE i
        sqTailLocal = ring.get(ValueLayout.JAVA_INT, sqTail);
        enterArg = arena.allocate(40, 8); // struct io_uring_getevents_arg (24) + __kernel_timespec (16)
    }

    /** A zeroed SQE; when the ring is full the queued ones are submitted first. */
    private long nextSqe() throws IOException {
        if (sqTailLocal - (int) INT.getAcquire(ring, (long) sqHead) == sqEntries) submitAndWait(0);
        long off = 64L * (sqTailLocal & sqMask);
        for (int i = 0; i < 64; i += 8) sqes.set(ValueLayout.JAVA_LONG, off + i, 0L);
        sqTailLocal++;
        return off;
    }

    /** Queues a one-shot poll: it completes (with the revents) as soon as the fd is ready, maybe at once. */
    void pollAdd(int fd, int events, long userData) throws IOException {
        long off = nextSqe();
        sqes.set(ValueLayout.JAVA_BYTE, off, OP_POLL_ADD);
        sqes.set(ValueLayout.JAVA_INT, off + 4, fd);
        sqes.set(ValueLayout.JAVA_INT, off + 28, events); // poll32_events (little-endian)
        sqes.set(ValueLayout.JAVA_LONG, off + 32, userData);
    }

    /**
     * Queues a multishot recv: every time bytes arrive the kernel puts them in a buffer it takes from
     * buffer group {@code group} and posts a completion, until the connection ends, fails, the group
     * runs dry (-ENOBUFS) or the recv is cancelled; the last completion lacks {@link #CQE_F_MORE}.
     */
    void recvMultishot(int fd, int group, long userData) throws IOException {
        long off = nextSqe();
        sqes.set(ValueLayout.JAVA_BYTE, off, OP_RECV);
        sqes.set(ValueLayout.JAVA_BYTE, off + 1, SQE_BUFFER_SELECT);
        sqes.set(ValueLayout.JAVA_SHORT, off + 2, RECV_MULTISHOT);
        sqes.set(ValueLayout.JAVA_INT, off + 4, fd);
        sqes.set(ValueLayout.JAVA_LONG, off + 32, userData);
        sqes.set(ValueLayout.JAVA_SHORT, off + 40, (short) group);
    }

    /**
     * Queues a send of {@code len} bytes at native address {@code address}; returns the SQE's
     * offset so its length can still grow ({@link #growSend}) until the next submission.
     */
    long send(int fd, long address, int len, long userData) throws IOException {
        long off = nextSqe();
        sqes.set(ValueLayout.JAVA_BYTE, off, OP_SEND);
        sqes.set(ValueLayout.JAVA_INT, off + 4, fd);
        sqes.set(ValueLayout.JAVA_LONG, off + 16, address);
        sqes.set(ValueLayout.JAVA_INT, off + 24, len);
        sqes.set(ValueLayout.JAVA_INT, off + 28, MSG_WAITALL | MSG_NOSIGNAL);
        sqes.set(ValueLayout.JAVA_LONG, off + 32, userData);
        return off;
    }

    /** Sets the length of a send queued by {@link #send} that was not submitted yet (same {@link #submissions}). */
    void growSend(long sqeOffset, int len) {
        sqes.set(ValueLayout.JAVA_INT, sqeOffset + 24, len);
    }

    /** Queues the cancellation of the request queued with {@code target} as its user data (any op). */
    void cancel(long target) throws IOException {
        long off = nextSqe();
        sqes.set(ValueLayout.JAVA_BYTE, off, OP_ASYNC_CANCEL);
        sqes.set(ValueLayout.JAVA_INT, off + 4, -1);
        sqes.set(ValueLayout.JAVA_LONG, off + 16, target); // sqe->addr: the user data to match
        sqes.set(ValueLayout.JAVA_LONG, off + 32, IGNORED);
    }

    /** io_uring_register; returns its result or throws with the operation named. */
    long register(int opcode, long arg, int count, String what) throws IOException {
        long r = LibC.syscall(err, SYS_IO_URING_REGISTER, fd, opcode, arg, count, 0, 0);
        if (r < 0) throw new IOException("io_uring_register(" + what + "): " + LibC.strerror(LibC.errno(err)));
        return r;
    }

    /** Queues the cancellation of the poll queued with {@code target} as its user data. */
    void pollRemove(long target) throws IOException {
        long off = nextSqe();
        sqes.set(ValueLayout.JAVA_BYTE, off, OP_POLL_REMOVE);
        sqes.set(ValueLayout.JAVA_INT, off + 4, -1);
        sqes.set(ValueLayout.JAVA_LONG, off + 16, target);
        sqes.set(ValueLayout.JAVA_LONG, off + 32, IGNORED);
    }

    /**
     * Submits every queued SQE and, unless {@code timeoutNanos} is 0 or completions already wait,
     * waits for one (negative: without limit). One syscall either way.
     */
    void submitAndWait(long timeoutNanos) throws IOException {
        INT.setRelease(ring, (long) sqTail, sqTailLocal);
        int toSubmit = sqTailLocal - (int) INT.getAcquire(ring, (long) sqHead);
        boolean wait = timeoutNanos != 0 && !hasCompletions();
        // With cooperative task running, completions reach the CQ only when we enter.
        if (toSubmit == 0 && !wait && !cooperative) return;
        if (toSubmit > 0) submissions++;
        long r;
        if (!wait) {
            r = LibC.syscall(err, SYS_IO_URING_ENTER, fd, toSubmit, 0, cooperative ? ENTER_GETEVENTS : 0, 0, 0);
        } else {
            long ts = 0;
            if (timeoutNanos > 0) {
                ts = enterArg.address() + 24;
                enterArg.set(ValueLayout.JAVA_LONG, 24, timeoutNanos / 1_000_000_000L);
                enterArg.set(ValueLayout.JAVA_LONG, 32, timeoutNanos % 1_000_000_000L);
            }
            enterArg.set(ValueLayout.JAVA_LONG, 0, 0L);  // no sigmask
            enterArg.set(ValueLayout.JAVA_LONG, 8, 0L);  // sigmask_sz, min_wait_usec
            enterArg.set(ValueLayout.JAVA_LONG, 16, ts);
            r = LibC.syscall(err, SYS_IO_URING_ENTER, fd, toSubmit, 1, ENTER_GETEVENTS | ENTER_EXT_ARG,
                    enterArg.address(), 24);
        }
        if (r < 0) {
            int e = LibC.errno(err);
            // Timeout, signal, or completions to reap first: all just mean "look at the CQ now".
            if (e != ETIME && e != LibC.EINTR && e != EBUSY && e != LibC.EAGAIN) throw Errors.io(e);
        }
    }

    boolean hasCompletions() {
        return ring.get(ValueLayout.JAVA_INT, cqHead) != (int) INT.getAcquire(ring, (long) cqTail);
    }

    /** Head and tail of the completions to reap now. */
    int cqHead() {
        return ring.get(ValueLayout.JAVA_INT, cqHead);
    }

    int cqTail() {
        return (int) INT.getAcquire(ring, (long) cqTail);
    }

    long userData(int index) {
        return ring.get(ValueLayout.JAVA_LONG, cqes + 16L * (index & cqMask));
    }

    int result(int index) {
        return ring.get(ValueLayout.JAVA_INT, cqes + 16L * (index & cqMask) + 8);
    }

    int flags(int index) {
        return ring.get(ValueLayout.JAVA_INT, cqes + 16L * (index & cqMask) + 12);
    }

    /** Hands CQ slots up to {@code head} back to the kernel. */
    void cqAdvance(int head) {
        INT.setRelease(ring, (long) cqHead, head);
    }

    void close() {
        LibC.munmap(err, sqes.address(), sqesSize);
        LibC.munmap(err, ringAddress, ringSize);
        LibC.close(err, fd);
    }
}

package dev.gust.loop.linux;

import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The io_uring engine. Connected TCP sockets receive by completion: while the loop wants to read a
 * socket, one multishot recv is armed for it and the kernel fills buffers of a shared
 * {@link BufferRing} as bytes arrive, so receiving costs no syscall per socket and no socket owns
 * receive memory. Everything else — accept, connect, write readiness, UDP, the wakeup eventfd —
 * uses a one-shot {@code POLL_ADD}, re-armed after each report while the interest lasts (re-arming
 * checks the socket's state at once, so the SPI's level-triggered contract holds). Every queued
 * request of a loop pass goes to the kernel in the single io_uring_enter that also waits.
 *
 * <p>The SPI stays readiness-shaped: a recv completion is reported as {@link Readiness#READ} and the
 * loop's {@code read} copies the bytes out of the ring buffer (which then goes straight back to the
 * kernel). A socket whose input was not all read is reported again on the next pass, as a
 * level-triggered poller would. When the loop stops reading a socket (backpressure, pause) its recv
 * is cancelled and what already arrived is copied out of the ring, so ring buffers only ever hold
 * input for one pass.
 *
 * <p>Sockets send by completion too ({@link UringStreamHandle}): a write copies into an off-heap
 * chunk lent to the socket and queues a {@code SEND}, so the sends of a whole pass cost the one
 * io_uring_enter of the pass instead of a write(2) each.
 *
 * <p>User data: bit 63 set for a recv (then a 30-bit tag and the fd), bit 62 for a send (a tag and
 * the chunk id), neither for a poll (a tag and the fd). Tags are unique per arm, so completions of a
 * cancelled or closed socket — maybe with its fd number reused — are recognised as stale.
 */
final class UringPoller extends LinuxPoller {
    private static final int ENTRIES = 4096;
    private static final long RECV = 1L << 63, SEND = 1L << 62;
    private static final int GROUP = 0;
    /** Receive buffers per loop and their size (the pool is mmapped lazily; see {@link BufferRing}). */
    static final int BUFFERS = Integer.getInteger("gust.uring.buffers", 1024);
    static final int BUFFER_SIZE = Integer.getInteger("gust.uring.bufferSize", 16 * 1024);
    /** Receive by completion (multishot recv), unless -Dgust.uring.recv=poll asks for readiness + read(2). */
    static final boolean COMPLETION_RECV = !"poll".equals(System.getProperty("gust.uring.recv"));
    /** Send by completion, unless -Dgust.uring.send=write asks for write(2) on the loop thread. */
    static final boolean COMPLETION_SEND = !"write".equals(System.getProperty("gust.uring.send"));
    /** Send chunks per loop and their size: a write bigger than a chunk goes out with write(2). */
    static final int SEND_CHUNKS = Integer.getInteger("gust.uring.sendChunks", 1024);
    static final int SEND_CHUNK_SIZE = Integer.getInteger("gust.uring.sendChunkSize", 16 * 1024);
    private final boolean recvByCompletion = UringTransport.receivesByCompletion();

    private final Uring ring;
    /** Null while sockets receive with readiness + read(2). */
    BufferRing buffers;
    /** Null while sockets send with write(2). */
    SendChunks sends;
    private int tags;

    // Completions taken off the ring, handled in order (a detaching socket may take its own out early).
    private long[] cqData = new long[1024];
    private int[] cqRes = new int[1024], cqFlags = new int[1024];
    private int cqCount, cqNext;

    /** Sockets with input left to report on the next pass. */
    private UringStreamHandle[] ready = new UringStreamHandle[64], readyNext = new UringStreamHandle[64];
    private int readyCount;
    /** Sockets whose multishot recv ended while they still want to read (ENOBUFS, CQ overflow). */
    private UringStreamHandle[] rearm = new UringStreamHandle[64];
    private int rearmCount;

    UringPoller(Readiness sink) throws IOException {
        super(sink);
        Uring r;
        try {
            r = new Uring(arena, scratch.err, ENTRIES);
        } catch (IOException e) {
            close();
            throw e;
        }
        ring = r;
        try {
            // Both are anonymous mmaps, faulted in as used: a quiet loop pays address space only.
            if (recvByCompletion) {
                buffers = new BufferRing(ring, scratch.err, GROUP, BUFFERS, BUFFER_SIZE);
                if (COMPLETION_SEND) sends = new SendChunks(scratch.err, SEND_CHUNKS, SEND_CHUNK_SIZE);
            }
            armWake();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    LinuxStreamHandle stream(int fd, Object attachment, boolean listener, InetSocketAddress remote) {
        return recvByCompletion && !listener ? new UringStreamHandle(this, fd, attachment, false, remote)
                : super.stream(fd, attachment, listener, remote);
    }

    private void armWake() throws IOException {
        ring.pollAdd(eventFd, LibC.EPOLLIN, wakeData());
    }

    /** The eventfd's user data: tag 0, which no socket arm uses. */
    private long wakeData() {
        return eventFd & 0xFFFF_FFFFL;
    }

    int nextTag() {
        int tag = ++tags & 0x3FFF_FFFF;
        if (tag == 0) tag = ++tags & 0x3FFF_FFFF;
        return tag;
    }

    // ------------------------------------------------------------------ sends (for UringStreamHandle)

    int submissions() {
        return ring.submissions;
    }

    long queueSend(UringStreamHandle s, long address, int len) throws IOException {
        return ring.send(s.fd, address, len, SEND | ((long) s.sendTag << 32) | s.sendChunk);
    }

    /**
     * Submits now and takes this socket's send completion out of order if it is there, so a writer
     * that outgrew its chunk need not wait for the next pass. Other completions stay queued, in order.
     */
    void flushSend(UringStreamHandle s) {
        try {
            ring.submitAndWait(0);
        } catch (IOException e) {
            return; // the pass's own enter reports it
        }
        reap();
        takeOwn(s, false); // the caller is writing: no WRITE to report
    }

    /**
     * Handles the completions of {@code s}'s send (and, with {@code recvToo}, of its recv) that wait
     * in {@code cq*}, ahead of their turn; they are marked done there. Other completions keep their order.
     */
    private void takeOwn(UringStreamHandle s, boolean recvToo) {
        for (int i = cqNext; i < cqCount; i++) {
            long data = cqData[i];
            if (data == Uring.IGNORED) continue;
            int tag = (int) (data >>> 32) & 0x3FFF_FFFF;
            if (recvToo && data < 0 && (int) data == s.fd && tag == s.recvTag && s.recvState != UringStreamHandle.RECV_IDLE) {
                cqData[i] = Uring.IGNORED;
                received(data, cqRes[i], cqFlags[i]); // no READ interest (leaving): input is spilled, not reported
            } else if (data > 0 && (data & SEND) != 0 && (int) data == s.sendChunk && tag == s.sendTag) {
                cqData[i] = Uring.IGNORED;
                s.sendCompleted(cqRes[i]);
            }
        }
    }

    void growSend(long sqe, int len) {
        ring.growSend(sqe, len);
    }

    void cancelSend(UringStreamHandle s) {
        try {
            ring.cancel(SEND | ((long) s.sendTag << 32) | s.sendChunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long pollData(LinuxFd h) {
        return ((long) h.serial << 32) | (h.fd & 0xFFFF_FFFFL);
    }

    private static long recvData(UringStreamHandle h) {
        return RECV | ((long) h.recvTag << 32) | (h.fd & 0xFFFF_FFFFL);
    }

    // ------------------------------------------------------------------ interest

    /** The readiness a handle needs from poll: READ goes through the recv for sockets that receive by completion. */
    private static int pollMask(LinuxFd h) {
        int ops = h.interest;
        if (h instanceof UringStreamHandle s && s.receivesByCompletion()) {
            ops &= ~Readiness.READ;
            if (s.sendChunk >= 0) ops &= ~Readiness.WRITE; // the send's completion reports it
        }
        return LinuxFd.toEpoll(ops);
    }

    private void arm(LinuxFd h) {
        int mask = pollMask(h);
        if (mask == 0) return;
        h.serial = nextTag(); // a fresh tag per arm: completions of cancelled arms are recognised as stale
        h.epollMask = mask;
        try {
            ring.pollAdd(h.fd, mask, pollData(h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void disarm(LinuxFd h) {
        if (h.epollMask == 0) return;
        h.epollMask = 0;
        try {
            ring.pollRemove(pollData(h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.serial = 0;
    }

    /**
     * A poll already armed for a superset of the new interest stays: its completion is filtered by
     * the interest then and re-armed with the right mask, which saves a cancel + add per toggle.
     */
    @Override
    void update(LinuxFd h) {
        if (h instanceof UringStreamHandle s && s.receivesByCompletion()) updateRecv(s);
        int mask = pollMask(h);
        if (h.epollMask != 0) {
            if ((mask & ~h.epollMask) == 0) return;
            disarm(h);
        }
        arm(h);
    }

    private static boolean wantsRecv(UringStreamHandle s) {
        return (s.interest & Readiness.READ) != 0 && !s.closed && !s.inputEnded;
    }

    private void updateRecv(UringStreamHandle s) {
        boolean want = wantsRecv(s);
        try {
            if (want && s.recvState == UringStreamHandle.RECV_IDLE) {
                s.recvTag = nextTag();
                s.recvState = UringStreamHandle.RECV_ARMED;
                ring.recvMultishot(s.fd, GROUP, recvData(s));
            } else if (!want && s.recvState == UringStreamHandle.RECV_ARMED) {
                s.recvState = UringStreamHandle.RECV_CANCELLING; // its last completion says when it is over
                ring.cancel(recvData(s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ((s.interest & Readiness.READ) == 0) s.spillBuffers();
        else if (s.hasInput()) listReady(s); // interest came back while input waits: report it next pass
    }

    private void listReady(UringStreamHandle s) {
        if (s.listedReady) return;
        s.listedReady = true;
        if (readyCount == ready.length) ready = java.util.Arrays.copyOf(ready, readyCount * 2);
        ready[readyCount++] = s;
    }

    @Override
    void forget(LinuxFd h) {
        disarm(h); // the armed poll holds a reference to the socket: cancel it, or it never really closes
        if (h instanceof UringStreamHandle s) {
            if (s.recvState == UringStreamHandle.RECV_ARMED) {
                try {
                    ring.cancel(recvData(s)); // likewise for the recv; its late completions are stale now
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            s.recvState = UringStreamHandle.RECV_IDLE;
            s.releaseInput();
        }
        super.forget(h);
    }

    // ------------------------------------------------------------------ the pass

    @Override
    public int poll(long timeoutNanos) throws IOException {
        boolean owed = readyCount > 0 || cqNext < cqCount;
        ring.submitAndWait(owed ? 0 : timeoutNanos);
        reap();
        int reported = 0;
        // Only what was reaped now: completions reaped while these run (a writer flushing its send
        // early) wait for the next pass, or one busy socket could keep this pass going forever.
        int end = cqCount;
        while (cqNext < end) {
            int i = cqNext++;
            reported += complete(cqData[i], cqRes[i], cqFlags[i]);
        }
        int left = cqCount - cqNext;
        if (left > 0) {
            System.arraycopy(cqData, cqNext, cqData, 0, left);
            System.arraycopy(cqRes, cqNext, cqRes, 0, left);
            System.arraycopy(cqFlags, cqNext, cqFlags, 0, left);
        }
        cqNext = 0;
        cqCount = left;
        reported += reportLeftovers();
        for (int i = 0; i < rearmCount; i++) {
            UringStreamHandle s = rearm[i];
            rearm[i] = null;
            if (s.recvState == UringStreamHandle.RECV_IDLE && wantsRecv(s)) updateRecv(s);
        }
        rearmCount = 0;
        return reported;
    }

    /** Moves every completion off the ring into {@code cq*}, after those still waiting there. */
    private void reap() {
        int head = ring.cqHead(), tail = ring.cqTail();
        for (; head != tail; head++) {
            if (cqCount == cqData.length) {
                int n = cqCount * 2;
                cqData = java.util.Arrays.copyOf(cqData, n);
                cqRes = java.util.Arrays.copyOf(cqRes, n);
                cqFlags = java.util.Arrays.copyOf(cqFlags, n);
            }
            cqData[cqCount] = ring.userData(head);
            cqRes[cqCount] = ring.result(head);
            cqFlags[cqCount] = ring.flags(head);
            cqCount++;
        }
        ring.cqAdvance(head);
    }

    /** Handles one completion; returns 1 when it reported readiness. */
    private int complete(long data, int res, int flags) throws IOException {
        if (data == Uring.IGNORED) return 0;
        if (data < 0) return received(data, res, flags);
        if ((data & SEND) != 0) return sent(data, res);
        int fd = (int) data, tag = (int) (data >>> 32);
        if (tag == 0) {
            if (fd == eventFd) {
                drainWakeups();
                armWake();
            }
            return 0;
        }
        LinuxFd h = lookup(fd);
        if (h == null || h.closed || h.serial != tag || h.epollMask == 0) return 0; // cancelled or stale
        h.epollMask = 0; // one-shot: no longer armed
        int ops = res < 0 ? (res == -Uring.ECANCELED ? 0 : h.interest) : h.readyOps(res);
        if (h instanceof UringStreamHandle s && s.receivesByCompletion()) ops &= ~Readiness.READ;
        if (ops != 0) sink.ready(h.attachment, ops);
        if (!h.closed && h.epollMask == 0) arm(h); // still interested: ask again (level-triggered)
        return ops != 0 ? 1 : 0;
    }

    /** A recv completion: input for its socket, reported as READ while the loop wants it. */
    private int received(long data, int res, int flags) {
        int bid = (flags & Uring.CQE_F_BUFFER) != 0 ? flags >>> 16 : -1;
        int fd = (int) data, tag = (int) (data >>> 32) & 0x3FFF_FFFF;
        LinuxFd f = lookup(fd);
        if (!(f instanceof UringStreamHandle s) || s.closed || s.recvTag != tag || s.recvState == UringStreamHandle.RECV_IDLE) {
            if (bid >= 0) buffers.recycle(bid); // a closed socket's late bytes
            return 0;
        }
        if (res > 0) {
            s.received(bid, res);
        } else if (bid >= 0) {
            buffers.recycle(bid);
        }
        if (res == 0) s.ended(0);
        else if (res < 0 && res != -Uring.ENOBUFS && res != -Uring.ECANCELED) s.ended(-res);
        if ((flags & Uring.CQE_F_MORE) == 0) { // this recv is over
            s.recvState = UringStreamHandle.RECV_IDLE;
            s.recvTag = 0;
            if (wantsRecv(s)) listRearm(s);
        }
        if ((s.interest & Readiness.READ) == 0) {
            s.spillBuffers();
            return 0;
        }
        sink.ready(s.attachment, Readiness.READ);
        if (!s.closed && s.hasInput() && (s.interest & Readiness.READ) != 0) listReady(s);
        return 1;
    }

    /** A send completion: the socket's next bytes go out, or its chunk is free and WRITE is reported. */
    private int sent(long data, int res) {
        int chunk = (int) data, tag = (int) (data >>> 32) & 0x3FFF_FFFF;
        UringStreamHandle s = sends.owners[chunk];
        if (s == null || s.sendChunk != chunk || s.sendTag != tag) return 0;
        if (!s.sendCompleted(res) || s.closed) return 0;
        if ((s.interest & Readiness.WRITE) == 0) return 0;
        sink.ready(s.attachment, Readiness.WRITE);
        if (!s.closed) update(s); // still watching WRITE with the chunk free: poll for it (level-triggered)
        return 1;
    }

    private void listRearm(UringStreamHandle s) {
        if (rearmCount == rearm.length) rearm = java.util.Arrays.copyOf(rearm, rearmCount * 2);
        rearm[rearmCount++] = s;
    }

    /** Reports again the sockets whose input was not all read (or whose READ interest came back). */
    private int reportLeftovers() {
        int n = readyCount, reported = 0;
        if (n == 0) return 0;
        UringStreamHandle[] list = ready;
        ready = readyNext; // sockets listed while these run go to the next pass
        readyNext = list;
        readyCount = 0;
        for (int i = 0; i < n; i++) {
            UringStreamHandle s = list[i];
            list[i] = null;
            s.listedReady = false;
            if (s.closed || (s.interest & Readiness.READ) == 0 || !s.hasInput()) continue;
            sink.ready(s.attachment, Readiness.READ);
            reported++;
            if (!s.closed && s.hasInput() && (s.interest & Readiness.READ) != 0) listReady(s);
        }
        return reported;
    }

    /**
     * Waits until a socket that is leaving this poller is quiet: its recv ended (its cancel was
     * queued) and its bytes on their way were sent. That socket's completions are taken out of
     * order, so whatever the kernel had received before the cancel goes with the socket; other
     * completions stay queued, in order, for the next pass.
     */
    void awaitQuiet(UringStreamHandle s) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            while (true) {
                takeOwn(s, true);
                if (s.recvState == UringStreamHandle.RECV_IDLE && s.sendChunk < 0) return;
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("io_uring: fd " + s.fd + " did not finish its receive and sends within 5 s");
                }
                ring.submitAndWait(10_000_000L);
                reap();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    String transportName() {
        return "io_uring";
    }

    @Override
    void closeSet() {
        if (ring == null) return;
        try {
            // Submit the removes and cancels of the sockets just closed: an armed poll or recv holds
            // its socket open, and a ring torn down with them still queued releases them only later,
            // asynchronously (a closed port would stay bound for a moment).
            ring.submitAndWait(0);
        } catch (IOException e) {
            // closing anyway
        }
        finishLingeringSends();
        ring.close();
        if (buffers != null) buffers.close(false);
        if (sends != null) {
            for (UringStreamHandle s : sends.owners) {
                if (s != null && s.lingering) LibC.close(scratch.err, s.fd);
            }
            sends.close();
        }
    }

    /** Gives sockets closed with bytes still on their way a moment (at most 200 ms) to send them. */
    private void finishLingeringSends() {
        if (sends == null || sends.inUse() == 0) return;
        long deadline = System.nanoTime() + 200_000_000L;
        try {
            while (sends.inUse() > 0 && System.nanoTime() - deadline < 0) {
                ring.submitAndWait(5_000_000L);
                reap();
                for (int i = cqNext; i < cqCount; i++) {
                    long data = cqData[i];
                    if (data > 0 && (data & SEND) != 0) sent(data, cqRes[i]);
                }
                cqNext = cqCount = 0;
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}

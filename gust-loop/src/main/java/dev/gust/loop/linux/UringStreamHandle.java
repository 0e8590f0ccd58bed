package dev.gust.loop.linux;

import dev.gust.loop.spi.DetachedHandle;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP socket on the io_uring transport that receives and sends by completion.
 *
 * <p><b>Receiving.</b> While the loop wants to read, one multishot recv stays armed and the kernel
 * hands over filled buffers from the poller's {@link BufferRing}; {@link #read} copies them out (a
 * memcpy, no syscall) and gives the buffers back.
 *
 * <p><b>Sending.</b> {@link #write} copies the bytes into a {@link SendChunks chunk} lent to this
 * socket and queues one {@code SEND}; every send of a loop pass goes to the kernel in the pass's
 * single io_uring_enter. Until that enter, further writes just grow the queued send; after it, they
 * wait in the chunk behind it and go out when it completes (one send in flight per socket keeps the
 * bytes in order). A full chunk takes nothing more (the loop core then keeps the bytes and asks for
 * WRITE, reported when the chunk is free again). A write bigger than a chunk, or when no chunk is
 * free, goes out with write(2)/writev(2) at once, as on epoll — never while a send is outstanding.
 * A clean close with bytes still on their way keeps the fd open until they are sent, then closes
 * it (the FIN follows the data, as the kernel's own send buffer would); a shutdown of output waits
 * for them likewise.
 *
 * <p>Received input lives, in arrival order, in: {@link #spill} (bytes copied out of the ring while
 * the loop did not want to read, or handed over from another loop), then the head buffer, then
 * {@link #queued} buffers; then the end of input (FIN) or an error. The head buffer is kept in
 * fields so the common case — one buffer at a time — allocates nothing.
 */
final class UringStreamHandle extends LinuxStreamHandle {
    static final byte RECV_IDLE = 0, RECV_ARMED = 1, RECV_CANCELLING = 2;

    private final UringPoller uring;
    /** Tag of the armed multishot recv (0 when none); its completions carry it. */
    int recvTag;
    byte recvState = RECV_IDLE;
    /** FIN or an error arrived: no recv is armed again. */
    boolean inputEnded;
    private int inputError;

    private int headBid = -1, headLen, headOffset;
    private int[] queued; // (bid, len) pairs after the head
    private int queuedHead, queuedCount;
    private byte[] spill;
    private int spillPos, spillEnd;
    /** In the poller's list of handles to report again. */
    boolean listedReady;

    /** The chunk holding outgoing bytes (-1: none; then no send is outstanding). */
    int sendChunk = -1;
    /** [sendStart, sendFlightEnd) is in the outstanding send, [sendFlightEnd, sendEnd) waits behind it. */
    private int sendStart, sendFlightEnd, sendEnd;
    int sendTag;
    private long sendSqe;
    private int sendSubmission;
    /** errno of a failed send, thrown by the next write. */
    private int sendError;
    private boolean shutdownAfterSend;
    /** Closed by the loop but the fd stays open until the last bytes are sent. */
    boolean lingering;

    UringStreamHandle(UringPoller poller, int fd, Object attachment, boolean listener, InetSocketAddress remote) {
        super(poller, fd, attachment, listener, remote);
        this.uring = poller;
    }

    /** Receives by completion once connected (a listener or a connecting socket is polled). */
    boolean receivesByCompletion() {
        return !listener && connected;
    }

    /** True while received input (bytes, FIN or an error) waits to be read. */
    boolean hasInput() {
        return spillPos < spillEnd || headBid >= 0 || inputEnded;
    }

    /** A recv completion with {@code n} bytes in buffer {@code bid}. */
    void received(int bid, int n) {
        if (headBid < 0) {
            headBid = bid;
            headLen = n;
            headOffset = 0;
            return;
        }
        if (queued == null) queued = new int[8];
        if (2 * queuedCount == queued.length) {
            int[] bigger = new int[queued.length * 2];
            for (int i = 0; i < queuedCount; i++) {
                int from = 2 * ((queuedHead + i) % (queued.length / 2));
                bigger[2 * i] = queued[from];
                bigger[2 * i + 1] = queued[from + 1];
            }
            queued = bigger;
            queuedHead = 0;
        }
        int at = 2 * ((queuedHead + queuedCount) % (queued.length / 2));
        queued[at] = bid;
        queued[at + 1] = n;
        queuedCount++;
    }

    /** The peer's FIN ({@code errno} 0) or a receive error. */
    void ended(int errno) {
        inputEnded = true;
        inputError = errno;
    }

    @Override
    void unread(byte[] bytes) {
        spill = bytes;
        spillPos = 0;
        spillEnd = bytes.length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkOpen();
        if (!receivesByCompletion()) return super.read(dst);
        int pos = dst.position(), room = dst.limit() - pos;
        if (room == 0) return 0;
        int copied = 0;
        if (spillPos < spillEnd) {
            int n = Math.min(room, spillEnd - spillPos);
            dst.put(pos, spill, spillPos, n);
            spillPos += n;
            copied = n;
            if (spillPos == spillEnd) dropSpill();
        }
        while (headBid >= 0 && copied < room) {
            int n = Math.min(room - copied, headLen - headOffset);
            copyOut(headBid, headOffset, dst, pos + copied, n);
            copied += n;
            headOffset += n;
            if (headOffset == headLen) nextHead();
        }
        if (copied > 0) {
            dst.position(pos + copied);
            return copied;
        }
        if (!inputEnded) return 0;
        if (inputError == 0) return -1;
        throw Errors.read(inputError);
    }

    private void copyOut(int bid, int offset, ByteBuffer dst, int at, int n) {
        dst.put(at, uring.buffers.view, bid * uring.buffers.size + offset, n);
    }

    /** Gives the head buffer back and moves the next queued one up. */
    private void nextHead() {
        uring.buffers.recycle(headBid);
        if (queuedCount == 0) {
            headBid = -1;
            return;
        }
        int at = 2 * queuedHead;
        headBid = queued[at];
        headLen = queued[at + 1];
        headOffset = 0;
        queuedHead = (queuedHead + 1) % (queued.length / 2);
        queuedCount--;
    }

    private void dropSpill() {
        spill = null;
        spillPos = spillEnd = 0;
    }

    /**
     * Copies buffered input out of the ring into {@link #spill} and gives the buffers back, so a
     * socket that stopped reading (or leaves this loop) holds no ring buffer.
     */
    void spillBuffers() {
        if (headBid < 0) return;
        int adding = headLen - headOffset;
        for (int i = 0; i < queuedCount; i++) adding += queued[2 * ((queuedHead + i) % (queued.length / 2)) + 1];
        int kept = spillEnd - spillPos;
        if (spill == null || spill.length - spillEnd < adding) { // grow by doubling: a paused socket spills often
            byte[] bigger = new byte[Math.max(kept + adding, spill == null ? 4096 : 2 * spill.length)];
            if (kept > 0) System.arraycopy(spill, spillPos, bigger, 0, kept);
            spill = bigger;
            spillPos = 0;
            spillEnd = kept;
        }
        MemorySegment from = uring.buffers.buffers;
        while (headBid >= 0) {
            int n = headLen - headOffset;
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, (long) headBid * uring.buffers.size + headOffset, spill, spillEnd, n);
            spillEnd += n;
            nextHead();
        }
    }

    /** On close: every ring buffer goes back, the rest is dropped. */
    void releaseInput() {
        while (headBid >= 0) nextHead();
        dropSpill();
    }

    // ------------------------------------------------------------------ sending

    private boolean sendsByCompletion() {
        return receivesByCompletion() && uring.sends != null;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkOpen();
        if (!sendsByCompletion()) return super.write(src);
        long n = queueSend(src, null, 0, 0);
        return n >= 0 ? (int) n : super.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkOpen();
        if (!sendsByCompletion()) return super.write(srcs, offset, length);
        long n = queueSend(null, srcs, offset, length);
        return n >= 0 ? n : super.write(srcs, offset, length);
    }

    /**
     * Copies what fits into this socket's chunk and queues or grows its send; returns the bytes
     * taken, or -1 when they should go out with a plain write now (nothing outstanding, and too big
     * for a chunk or no chunk free).
     */
    private long queueSend(ByteBuffer single, ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (sendError != 0) throw Errors.io(sendError);
        long total = 0;
        if (single != null) total = single.remaining();
        else for (int i = offset; i < offset + length; i++) total += srcs[i].remaining();
        if (total == 0) return 0;
        SendChunks chunks = uring.sends;
        // It does not all fit behind what is on its way: hand that to the kernel now; usually it is
        // sent at once and the chunk is free again (or the whole write can go out with write(2)).
        if (sendChunk >= 0 && total > chunks.size - sendEnd) uring.flushSend(this);
        if (sendChunk < 0) {
            if (total > chunks.size) return -1;
            int id = chunks.acquire(this);
            if (id < 0) return -1;
            sendChunk = id;
            sendStart = sendFlightEnd = sendEnd = 0;
        }
        int n = (int) Math.min(total, chunks.size - sendEnd);
        if (n == 0) return 0;
        int at = (int) chunks.offset(sendChunk) + sendEnd, left = n;
        if (single != null) {
            at = take(single, at, left);
        } else {
            for (int i = offset; i < offset + length && left > 0; i++) {
                int before = at;
                at = take(srcs[i], at, left);
                left -= at - before;
            }
        }
        sendEnd += n;
        if (sendFlightEnd == sendStart) {
            startSend();
        } else if (uring.submissions() == sendSubmission) { // not in the kernel yet: the queued send just grows
            sendFlightEnd = sendEnd;
            uring.growSend(sendSqe, sendFlightEnd - sendStart);
        }
        return n;
    }

    /** Copies up to {@code max} bytes of {@code b} to the chunk memory at {@code at}; returns the new {@code at}. */
    private int take(ByteBuffer b, int at, int max) {
        int pos = b.position(), k = Math.min(max, b.limit() - pos);
        uring.sends.view.put(at, b, pos, k);
        b.position(pos + k);
        return at + k;
    }

    private void startSend() throws IOException {
        sendTag = uring.nextTag();
        sendFlightEnd = sendEnd;
        sendSqe = uring.queueSend(this, uring.sends.address(sendChunk, sendStart), sendFlightEnd - sendStart);
        sendSubmission = uring.submissions();
    }

    /** The outstanding send completed with {@code res}; true when the chunk is free again. */
    boolean sendCompleted(int res) {
        if (res < 0) {
            if (res != -Uring.ECANCELED) sendError = -res;
            releaseChunk();
            return true;
        }
        sendStart += res;
        if (sendStart < sendEnd && (!closed || lingering)) { // a short send, or bytes that waited behind it
            try {
                startSend();
                return false;
            } catch (IOException e) {
                sendError = Errors.EPIPE;
            }
        }
        releaseChunk();
        if (shutdownAfterSend && !closed) {
            shutdownAfterSend = false;
            try {
                super.shutdownOutput();
            } catch (IOException e) {
                sendError = Errors.EPIPE; // the next write says so; the recv side sees the peer's end
            }
        }
        return true;
    }

    private void releaseChunk() {
        uring.sends.release(sendChunk);
        sendChunk = -1;
        sendStart = sendFlightEnd = sendEnd = 0;
        if (lingering) {
            lingering = false;
            LibC.close(poller.scratch.err, fd);
        } else if (!closed && (interest & dev.gust.loop.spi.Readiness.WRITE) != 0) {
            uring.update(this); // WRITE was left to the send's completion: watch the socket for it again
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen();
        if (sendChunk >= 0) {
            shutdownAfterSend = true; // after the bytes still on their way, like the kernel's own FIN
            return;
        }
        super.shutdownOutput();
    }

    @Override
    public void close(boolean abortive) {
        if (closed) return;
        if (sendChunk >= 0) {
            if (!abortive) { // keep the fd until the bytes are out; the loop is done with this socket
                lingering = true;
                interest = 0;
                closed = true;
                poller.forget(this);
                return;
            }
            uring.cancelSend(this); // a reset drops what was not sent; the chunk returns on its completion
        }
        super.close(abortive);
    }

    @Override
    public DetachedHandle detach() {
        if (listener) throw new IllegalStateException("a listener cannot be detached");
        if (closed) throw new IllegalStateException("handle is closed or detached");
        interest(0); // cancels the recv
        uring.awaitQuiet(this); // what the kernel received before the cancel lands in spill; sends finish
        spillBuffers();
        byte[] unread = null;
        if (spillPos < spillEnd) {
            unread = spillPos == 0 && spillEnd == spill.length ? spill : java.util.Arrays.copyOfRange(spill, spillPos, spillEnd);
        }
        dropSpill();
        detachFd();
        // A FIN or error that arrived before the hand-off shows again on the new loop's first recv.
        return new LinuxDetached(fd, remote, poller.transportName(), unread);
    }
}

package dev.gust.loop.linux;

import dev.gust.loop.spi.DetachedHandle;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP socket on the io_uring transport that receives by completion: while the loop wants to read,
 * one multishot recv stays armed and the kernel hands over filled buffers from the poller's
 * {@link BufferRing}; {@link #read} copies them out (a memcpy, no syscall) and gives the buffers
 * back. Writes stay plain write/writev calls.
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
        MemorySegment from = uring.buffers.buffers;
        long src = (long) bid * uring.buffers.size + offset;
        if (dst.isDirect()) {
            MemorySegment.copy(from, src, UringPoller.ALL_MEMORY, poller.scratch.base(dst) + at, n);
        } else {
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, src, dst.array(), dst.arrayOffset() + at, n);
        }
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
        int total = spillEnd - spillPos + headLen - headOffset;
        for (int i = 0; i < queuedCount; i++) total += queued[2 * ((queuedHead + i) % (queued.length / 2)) + 1];
        byte[] out = new byte[total];
        int at = 0;
        if (spillPos < spillEnd) {
            System.arraycopy(spill, spillPos, out, 0, spillEnd - spillPos);
            at = spillEnd - spillPos;
        }
        MemorySegment from = uring.buffers.buffers;
        while (headBid >= 0) {
            int n = headLen - headOffset;
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, (long) headBid * uring.buffers.size + headOffset, out, at, n);
            at += n;
            nextHead();
        }
        spill = out;
        spillPos = 0;
        spillEnd = total;
    }

    /** On close: every ring buffer goes back, the rest is dropped. */
    void releaseInput() {
        while (headBid >= 0) nextHead();
        dropSpill();
    }

    @Override
    public DetachedHandle detach() {
        if (listener) throw new IllegalStateException("a listener cannot be detached");
        if (closed) throw new IllegalStateException("handle is closed or detached");
        interest(0); // cancels the recv
        uring.awaitRecvEnd(this); // whatever the kernel received before the cancel lands in spill
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

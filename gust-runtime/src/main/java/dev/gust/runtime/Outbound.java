package dev.gust.runtime;

import dev.gust.loop.Socket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a stream: a single-producer single-consumer ring of direct memory. The writer
 * (a virtual thread) copies into it without locks and asks the loop to flush; the loop hands the
 * filled part to the socket, one {@code Socket.write} per slice (two when the filled part wraps
 * around the end of the ring). The writer parks only when the ring is full and is unparked when the
 * loop frees space.
 *
 * <p>Memory: the ring plus what the socket keeps when the kernel refuses bytes; the loop stops
 * flushing while the socket holds such a backlog, so that is at most one ring's worth too. The ring
 * starts at {@link #INITIAL} (on first write) and doubles, up to {@code maxCapacity}, when a writer
 * had to wait for space and later finds it empty: only streams that move bulk data pay for a big one.
 */
final class Outbound {
    private final ReentrantLock writers = new ReentrantLock(); // one producer at a time
    static final int INITIAL = 64 * 1024;
    private final int maxCapacity;
    private boolean wantsBigger; // a writer waited for space (writers lock)
    private final LoopBridge bridge;
    private volatile ByteBuffer ring;
    private volatile long head; // bytes the loop has taken (loop writes)
    private volatile long tail; // bytes written into the ring (writer writes)
    private volatile Thread waiter;
    private volatile String failure; // set when writes can no longer succeed
    // loop thread only
    private ByteBuffer first, second; // reusable views of the ring
    private ByteBuffer viewed; // the ring the views are of
    private boolean backlogged;

    Outbound(int maxCapacity, LoopBridge bridge) {
        this.maxCapacity = maxCapacity;
        this.bridge = bridge;
    }

    // ------------------------------------------------------------------ writer side

    /**
     * Copies {@code array[offset, offset+length)} or {@code buffer} into the ring; with {@code all}
     * it blocks until every byte is in, else until at least one is.
     *
     * @param timeoutNanos how long to wait for space that does not come (0: forever); then a
     *                     {@link SocketTimeoutException} whose {@code bytesTransferred} counts the
     *                     bytes of this call already in the ring (they are sent; the rest is not)
     */
    int write(byte[] array, int offset, int length, ByteBuffer buffer, boolean all, long timeoutNanos,
              TcpStream stream) throws IOException {
        int total = array != null ? length : buffer.remaining();
        if (total == 0) {
            check();
            return 0;
        }
        writers.lock();
        try {
            check();
            ByteBuffer r = ring;
            if (r == null) ring = r = ByteBuffer.allocateDirect(Math.min(INITIAL, maxCapacity));
            int done = 0;
            long deadline = 0; // of the current wait for space; cleared whenever bytes go in
            while (done < total) {
                long t = tail;
                int capacity = r.capacity();
                int space = (int) (capacity - (t - head));
                if (space == capacity && wantsBigger && capacity < maxCapacity) {
                    // Empty, so the loop holds no slice of it: swap in a bigger ring before publishing more.
                    wantsBigger = false;
                    ring = r = ByteBuffer.allocateDirect(Math.min(capacity * 2, maxCapacity));
                    continue;
                }
                if (space == 0) {
                    if (done > 0 && !all) break;
                    wantsBigger = true;
                    long wait = 0;
                    if (timeoutNanos > 0) {
                        long now = System.nanoTime();
                        if (deadline == 0) deadline = now + timeoutNanos;
                        wait = deadline - now;
                        if (wait <= 0) throw writeTimedOut(done);
                    }
                    awaitSpace(stream, capacity, wait);
                    continue;
                }
                deadline = 0;
                int n = Math.min(space, total - done);
                int at = (int) (t % capacity);
                int firstPart = Math.min(n, capacity - at);
                copyIn(r, at, array, offset + done, buffer, firstPart);
                if (firstPart < n) copyIn(r, 0, array, offset + done + firstPart, buffer, n - firstPart);
                done += n;
                tail = t + n; // publish
                stream.requestFlush();
            }
            return done;
        } finally {
            writers.unlock();
        }
    }

    private static void copyIn(ByteBuffer ring, int at, byte[] array, int offset, ByteBuffer buffer, int n) {
        if (array != null) {
            ring.put(at, array, offset, n);
        } else {
            ring.put(at, buffer, buffer.position(), n);
            buffer.position(buffer.position() + n);
        }
    }

    private static SocketTimeoutException writeTimedOut(int done) {
        // Like the JDK's InterruptedIOException contract: the bytes of this call that did go out.
        SocketTimeoutException e = new SocketTimeoutException("Write timed out (" + done + " bytes of this write were buffered and will be sent)");
        e.bytesTransferred = done;
        return e;
    }

    /** Parks until the loop frees space, writes fail, or {@code nanos} pass (0: no limit). */
    private void awaitSpace(TcpStream stream, int capacity, long nanos) throws IOException {
        Thread me = Thread.currentThread();
        waiter = me;
        // Re-check after publishing ourselves: the loop reads waiter after moving head (both volatile).
        if (tail - head == capacity && failure == null) {
            if (nanos > 0) LockSupport.parkNanos(this, nanos);
            else LockSupport.park(this);
        }
        waiter = null;
        check();
        if (me.isInterrupted()) {
            stream.close();
            throw new InterruptedIOException("write interrupted; the stream is closed");
        }
    }

    private void check() throws SocketException {
        String f = failure;
        if (f != null) throw new SocketException(f);
    }

    /** Writes fail from now on with {@code message} (stream closed, output shut down, connection gone). */
    void fail(String message) {
        if (failure == null) failure = message;
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w); // now: a closing loop runs no further pass
    }

    private void wakeWriter() {
        Thread w = waiter;
        if (w != null) bridge.wake(w);
    }

    // ------------------------------------------------------------------ loop side

    /** Loop thread: hands what the ring holds to the socket, unless the socket is backlogged. */
    void flush(Socket<?> socket) {
        if (backlogged || socket.isClosed()) return;
        long h = head, t = tail;
        if (t == h) return;
        ByteBuffer r = ring; // read after tail: a ring swapped in before these bytes is seen
        if (viewed != r) {
            viewed = r;
            first = r.duplicate();
            second = r.duplicate();
        }
        int capacity = r.capacity();
        int at = (int) (h % capacity);
        int n = (int) (t - h);
        int firstPart = Math.min(n, capacity - at);
        first.limit(at + firstPart).position(at);
        // One Socket.write per slice, so a wrapped ring costs two writes. (This was a work-around for
        // a loop-core bug that dropped all but the first unsent buffer of a partial gathering write;
        // it is fixed since 33e5694, so a single gathering write would now be correct too, but the
        // two-write form is the one measured and tested.) A second write queues after the first.
        boolean ok = socket.write(first);
        if (firstPart < n) {
            second.limit(n - firstPart).position(0);
            ok = socket.write(second) && ok;
        }
        head = t; // the socket took everything: into the kernel, or into its own backlog
        wakeWriter();
        if (!ok && !socket.isClosed()) backlogged = true;
    }

    /** For diagnostics: the sending state (backlogged is the loop's, read racily). */
    String state() {
        ByteBuffer r = ring;
        return "ring=" + (r == null ? 0 : r.capacity()) + " unsent=" + (tail - head) + " backlogged=" + backlogged
                + " writerWaiting=" + (waiter != null) + " failure=" + failure;
    }

    /**
     * Loop thread: the socket wrote its backlog out. The caller flushes later, outside the socket's
     * onWritable callback, so the ring is handed over uncorked (the rule dates from the
     * gathering-write loss fixed in 33e5694 and is kept: it is the tested path).
     */
    void onWritable() {
        backlogged = false;
    }

    /** Loop thread: nothing waits in the ring or in the socket. */
    boolean drained(Socket<?> socket) {
        return tail == head && !backlogged && socket.bufferedAmount() == 0;
    }

    /** Loop thread: the ring is empty (the socket may still hold a backlog). */
    boolean ringEmpty() {
        return tail == head;
    }
}

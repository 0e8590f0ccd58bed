package dev.gust.runtime;

import dev.gust.loop.Socket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a stream: a single-producer single-consumer ring of direct memory. The writer
 * (a virtual thread) copies into it without locks and asks the loop to flush; the loop hands the
 * filled part (one or two slices, one gathering write) to the socket. The writer parks only when the
 * ring is full and is unparked when the loop frees space.
 *
 * <p>Memory: the ring ({@code capacity}, allocated on first write) plus what the socket keeps when
 * the kernel refuses bytes; the loop stops flushing while the socket holds such a backlog, so that
 * is at most one ring's worth too.
 */
final class Outbound {
    private final ReentrantLock writers = new ReentrantLock(); // one producer at a time
    private final int capacity;
    private final LoopBridge bridge;
    private volatile ByteBuffer ring;
    private volatile long head; // bytes the loop has taken (loop writes)
    private volatile long tail; // bytes written into the ring (writer writes)
    private volatile Thread waiter;
    private volatile String failure; // set when writes can no longer succeed
    // loop thread only
    private ByteBuffer first, second; // reusable views of the ring
    private boolean backlogged;

    Outbound(int capacity, LoopBridge bridge) {
        this.capacity = capacity;
        this.bridge = bridge;
    }

    // ------------------------------------------------------------------ writer side

    /**
     * Copies {@code array[offset, offset+length)} or {@code buffer} into the ring; with {@code all}
     * it blocks until every byte is in, else until at least one is.
     */
    int write(byte[] array, int offset, int length, ByteBuffer buffer, boolean all, TcpStream stream)
            throws IOException {
        int total = array != null ? length : buffer.remaining();
        if (total == 0) {
            check();
            return 0;
        }
        writers.lock();
        try {
            check();
            ByteBuffer r = ring;
            if (r == null) ring = r = ByteBuffer.allocateDirect(capacity);
            int done = 0;
            while (done < total) {
                long t = tail;
                int space = (int) (capacity - (t - head));
                if (space == 0) {
                    if (done > 0 && !all) break;
                    awaitSpace(stream);
                    continue;
                }
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

    private void awaitSpace(TcpStream stream) throws IOException {
        Thread me = Thread.currentThread();
        waiter = me;
        // Re-check after publishing ourselves: the loop reads waiter after moving head (both volatile).
        if (tail - head == capacity && failure == null) LockSupport.park(this);
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
        ByteBuffer r = ring;
        if (first == null) {
            first = r.duplicate();
            second = r.duplicate();
        }
        int at = (int) (h % capacity);
        int n = (int) (t - h);
        int firstPart = Math.min(n, capacity - at);
        first.limit(at + firstPart).position(at);
        boolean ok;
        if (firstPart < n) {
            second.limit(n - firstPart).position(0);
            ok = socket.write(first, second, false);
        } else {
            ok = socket.write(first);
        }
        head = t; // the socket took everything: into the kernel, or into its own backlog
        wakeWriter();
        if (!ok && !socket.isClosed()) backlogged = true;
    }

    /** Loop thread: the socket wrote its backlog out. */
    void onWritable(Socket<?> socket) {
        backlogged = false;
        flush(socket);
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

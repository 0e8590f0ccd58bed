package dev.gust.runtime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving half of a stream: bytes the loop received, waiting for a blocking reader.
 *
 * <p>Speed: a reader that finds nothing registers its own array (or buffer) and parks; the loop
 * then copies the received bytes straight into it (no intermediate copy) and unparks it. Only bytes
 * that arrive while nobody waits are kept in the stream's buffer. The loop unparks only a reader that
 * is actually parked.
 *
 * <p>Memory: past {@code highWater} buffered bytes the loop is told to pause reading the socket, and
 * a reader that drains below half of it asks the loop to resume.
 */
final class Inbound {
    private static final byte[] EMPTY = new byte[0];

    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises readers, so at most one registers a target and parks. */
    private final ReentrantLock readers = new ReentrantLock();
    private final int highWater;
    private final LoopBridge bridge;

    // --- guarded by lock
    private byte[] buf = EMPTY;
    private int head, tail; // buffered bytes are buf[head, tail)
    private byte[] targetArray;
    private int targetOffset, targetLength;
    private ByteBuffer targetBuffer;
    private int delivered; // bytes the loop copied into the target
    private Thread waiter;
    private boolean eof, paused, resumeAsked, closedLocally, inputShut;
    private String failure; // peer reset, loop closed...: a message, thrown as SocketException

    Inbound(int highWater, LoopBridge bridge) {
        this.highWater = highWater;
        this.bridge = bridge;
    }

    // ------------------------------------------------------------------ loop side

    /** Loop thread: takes every byte of {@code data}; returns true when the socket should pause reading. */
    boolean onData(ByteBuffer data) {
        Thread w;
        boolean pause = false;
        lock.lock();
        try {
            if (closedLocally || inputShut) {
                data.position(data.limit()); // nobody will read these
                return false;
            }
            if (targetArray != null || targetBuffer != null) deliverToTarget(data);
            if (data.hasRemaining()) {
                append(data);
                if (!paused && tail - head >= highWater) pause = paused = true;
            }
            w = waiter;
            waiter = null;
        } finally {
            lock.unlock();
        }
        if (w != null) bridge.wake(w);
        return pause;
    }

    private void deliverToTarget(ByteBuffer data) {
        int n;
        if (targetArray != null) {
            n = Math.min(targetLength, data.remaining());
            data.get(targetArray, targetOffset, n);
        } else {
            n = Math.min(targetBuffer.remaining(), data.remaining());
            int lim = data.limit();
            data.limit(data.position() + n);
            targetBuffer.put(data);
            data.limit(lim);
        }
        delivered = n;
        targetArray = null;
        targetBuffer = null;
    }

    private void append(ByteBuffer data) {
        int n = data.remaining();
        if (buf.length - tail < n) {
            int live = tail - head;
            if (buf.length - live >= n && live <= buf.length / 2) {
                System.arraycopy(buf, head, buf, 0, live); // compact: cheap, the buffer is mostly read
            } else {
                byte[] bigger = new byte[Math.max(live + n, Math.max(16 * 1024, buf.length * 2))];
                System.arraycopy(buf, head, bigger, 0, live);
                buf = bigger;
            }
            head = 0;
            tail = live;
        }
        data.get(buf, tail, n);
        tail += n;
    }

    /** Loop thread: the peer sent FIN. */
    void onEnd() {
        wake(() -> eof = true);
    }

    /** Loop thread: the connection is gone; {@code message} null means a clean end (reads see EOF). */
    void onClosed(String message) {
        wake(() -> {
            if (message == null) eof = true;
            else if (failure == null) failure = message;
        });
    }

    /** Loop thread: whether a paused socket may read again (the reader drained enough). */
    boolean takeResume() {
        lock.lock();
        try {
            resumeAsked = false;
            if (paused && tail - head < highWater) {
                paused = false;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ reader side

    /**
     * Input shut down by the owner: reads (now and later) see end of stream, buffered and further
     * bytes are dropped. Returns true when the socket is paused and must resume reading, so that
     * the peer's bytes keep being taken (and dropped) instead of backing up.
     */
    boolean shutdownInput() {
        boolean[] resume = new boolean[1];
        wake(() -> {
            inputShut = true;
            buf = EMPTY;
            head = tail = 0;
            if (paused && !resumeAsked) resume[0] = resumeAsked = true;
        });
        return resume[0];
    }

    /** The stream was closed by its owner: readers (now and later) fail, buffered bytes are dropped. */
    void closeLocally() {
        wake(() -> {
            closedLocally = true;
            buf = EMPTY;
            head = tail = 0;
        });
    }

    private void wake(Runnable change) {
        Thread w;
        lock.lock();
        try {
            change.run();
            w = waiter;
            waiter = null;
        } finally {
            lock.unlock();
        }
        if (w != null) LockSupport.unpark(w); // now: a closing loop runs no further pass
    }

    /** For diagnostics: the receiving state. */
    String state() {
        lock.lock();
        try {
            return "buffered=" + (tail - head) + " inputShut=" + inputShut + " paused=" + paused + " resumeAsked=" + resumeAsked + " eof=" + eof
                    + " failure=" + failure + " waiting=" + (waiter != null);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes readable without blocking. */
    int available() {
        lock.lock();
        try {
            return tail - head;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads into {@code array[offset, offset+length)} or {@code buffer} (one of them is null), parking
     * until bytes, EOF (-1), failure or the timeout ({@code timeoutNanos <= 0}: none).
     *
     * @param stream asked to resume reading when this read drains a paused buffer
     */
    int read(byte[] array, int offset, int length, ByteBuffer buffer, long timeoutNanos, TcpStream stream)
            throws IOException {
        if ((array != null ? length : buffer.remaining()) == 0) return 0;
        readers.lock();
        try {
            return readLocked(array, offset, length, buffer, timeoutNanos, stream);
        } finally {
            readers.unlock();
        }
    }

    private int readLocked(byte[] array, int offset, int length, ByteBuffer buffer, long timeoutNanos,
                           TcpStream stream) throws IOException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        boolean askResume = false;
        lock.lock();
        try {
            while (true) {
                if (closedLocally) throw new SocketException("stream closed");
                if (inputShut) return -1;
                int live = tail - head;
                if (live > 0) {
                    int n = Math.min(live, array != null ? length : buffer.remaining());
                    if (array != null) System.arraycopy(buf, head, array, offset, n);
                    else buffer.put(buf, head, n);
                    head += n;
                    if (head == tail) head = tail = 0;
                    if (paused && !resumeAsked && tail - head <= highWater / 2) askResume = resumeAsked = true;
                    return n;
                }
                if (failure != null) throw new SocketException(failure);
                if (eof) return -1;
                long wait = 0;
                if (deadline != 0) {
                    wait = deadline - System.nanoTime();
                    if (wait <= 0) throw new SocketTimeoutException("Read timed out");
                }
                // Nothing here: let the loop fill our target directly, and park.
                targetArray = array;
                targetOffset = offset;
                targetLength = length;
                targetBuffer = array == null ? buffer : null;
                delivered = 0;
                waiter = Thread.currentThread();
                lock.unlock();
                try {
                    if (deadline != 0) LockSupport.parkNanos(this, wait);
                    else LockSupport.park(this);
                } finally {
                    lock.lock();
                    targetArray = null;
                    targetBuffer = null;
                    waiter = null;
                }
                if (delivered > 0) {
                    int n = delivered;
                    delivered = 0;
                    return n;
                }
                if (Thread.currentThread().isInterrupted()) {
                    lock.unlock();
                    try {
                        stream.close();
                    } finally {
                        lock.lock();
                    }
                    throw new InterruptedIOException("read interrupted; the stream is closed");
                }
            }
        } finally {
            lock.unlock();
            if (askResume) stream.requestResume();
        }
    }
}

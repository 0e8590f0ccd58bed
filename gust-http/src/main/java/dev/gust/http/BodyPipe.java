package dev.gust.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body flowing from the loop thread to a blocking handler's virtual thread. The loop copies
 * pieces in; when more than {@link #HIGH_WATER} bytes wait, the connection stops reading until the
 * handler has consumed half of them, so a slow handler cannot make memory grow.
 */
final class BodyPipe extends InputStream {
    static final int HIGH_WATER = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    private final Runnable resumeReading; // called (from the reader) when the pipe has room again
    private byte[] current;
    private int currentPos;
    private long buffered;
    private boolean finished;
    private boolean paused;
    private IOException failure;

    BodyPipe(Runnable resumeReading) {
        this.resumeReading = resumeReading;
    }

    /** Loop thread: adds a copy of {@code chunk}; returns false when the loop should stop reading. */
    boolean offer(ByteBuffer chunk) {
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        lock.lock();
        try {
            if (copy.length > 0) pieces.add(copy);
            buffered += copy.length;
            readable.signal();
            if (buffered >= HIGH_WATER) {
                paused = true;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Loop thread: the body is complete. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Loop thread: the connection failed before the body was complete. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (!finished) failure = e;
            finished = true;
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        boolean resume = false;
        int n;
        lock.lock();
        try {
            while (current == null || currentPos == current.length) {
                current = pieces.poll();
                currentPos = 0;
                if (current != null) break;
                if (failure != null) throw failure;
                if (finished) return -1;
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading the request body");
                }
            }
            n = Math.min(len, current.length - currentPos);
            System.arraycopy(current, currentPos, b, off, n);
            currentPos += n;
            buffered -= n;
            if (paused && buffered <= HIGH_WATER / 2) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) resumeReading.run();
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, buffered);
        } finally {
            lock.unlock();
        }
    }
}

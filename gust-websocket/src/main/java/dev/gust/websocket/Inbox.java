package dev.gust.websocket;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Received messages on their way from the loop to blocking code (server and client blocking styles).
 * Past {@link #HIGH_WATER} queued bytes the loop stops reading the socket ({@code pause}, run on the
 * loop) until the reader has taken half of them ({@code resume}, run on the reader's thread: it must
 * hop to the loop itself), so a slow reader cannot make memory grow.
 */
final class Inbox implements Iterable<WebSocketMessage> {
    static final long HIGH_WATER = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<WebSocketMessage> queue = new ArrayDeque<>();
    private final Runnable pause, resume;
    private long queuedBytes;
    private boolean paused;
    private boolean closed;

    Inbox(Runnable pause, Runnable resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /** Loop thread: queues a message (a copy the loop will not touch again). */
    void add(WebSocketMessage copy) {
        lock.lock();
        try {
            queue.add(copy);
            queuedBytes += copy.length();
            arrived.signal();
            if (queuedBytes >= HIGH_WATER && !paused) {
                paused = true;
                pause.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Loop thread: no more messages will come; readers drain what is queued, then get null. */
    void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next message, or null once closed and drained, or when {@code timeout} (null: none) passes. */
    WebSocketMessage receive(Duration timeout) throws InterruptedException {
        long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        WebSocketMessage m;
        boolean wake = false;
        lock.lock();
        try {
            while ((m = queue.poll()) == null) {
                if (closed) return null;
                if (timeout == null) arrived.await();
                else if (nanos <= 0) return null;
                else nanos = arrived.awaitNanos(nanos);
            }
            queuedBytes -= m.length();
            if (paused && queuedBytes <= HIGH_WATER / 2) {
                paused = false;
                wake = true;
            }
        } finally {
            lock.unlock();
        }
        if (wake) resume.run();
        return m;
    }

    /** Iterates until the connection closes; an interrupt ends the iteration (and keeps the flag). */
    @Override
    public Iterator<WebSocketMessage> iterator() {
        return new Iterator<>() {
            private WebSocketMessage next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = receive(null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return next != null;
            }

            @Override
            public WebSocketMessage next() {
                if (!hasNext()) throw new NoSuchElementException("the WebSocket is closed");
                WebSocketMessage m = next;
                next = null;
                return m;
            }
        };
    }
}

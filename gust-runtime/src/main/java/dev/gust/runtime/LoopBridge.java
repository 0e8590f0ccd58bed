package dev.gust.runtime;

import dev.gust.loop.Loop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands work from stream threads to one loop: streams with pending operations are pushed on an
 * intrusive lock-free stack (no allocation per request) and the loop drains it in one deferred task,
 * so a burst of writes from many virtual threads costs one {@link Loop#defer} and one wakeup.
 */
final class LoopBridge implements Runnable {
    private static final ConcurrentHashMap<Loop, LoopBridge> BRIDGES = new ConcurrentHashMap<>();

    final Loop loop;
    private final AtomicReference<TcpStream> head = new AtomicReference<>();

    private LoopBridge(Loop loop) {
        this.loop = loop;
    }

    static LoopBridge of(Loop loop) {
        if (BRIDGES.size() > 64) BRIDGES.keySet().removeIf(Loop::isClosed); // forget closed loops now and then
        return BRIDGES.computeIfAbsent(loop, LoopBridge::new);
    }

    /** Queues {@code stream} (not queued now) for {@link TcpStream#runOps()} on the loop. Any thread. */
    void enqueue(TcpStream stream) {
        TcpStream h;
        do {
            h = head.get();
            stream.nextQueued = h;
        } while (!head.compareAndSet(h, stream));
        if (h == null) {
            try {
                loop.defer(this);
            } catch (RejectedExecutionException closed) {
                // The loop closed: its sockets closed with it, and their streams have failed already.
            }
        }
    }

    @Override
    public void run() {
        TcpStream s = head.getAndSet(null);
        // The stack is LIFO; reverse it so streams are served in request order.
        TcpStream fifo = null;
        while (s != null) {
            TcpStream next = s.nextQueued;
            s.nextQueued = fifo;
            fifo = s;
            s = next;
        }
        while (fifo != null) {
            TcpStream next = fifo.nextQueued;
            fifo.nextQueued = null;
            fifo.runOps();
            fifo = next;
        }
    }
}

package dev.gust.runtime;

import dev.gust.loop.Loop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves work between stream threads and one loop, in batches, because every cross-thread wakeup is
 * a context switch (on a busy machine, often a preemption):
 * <ul>
 * <li>Stream threads to loop: streams with pending operations are pushed on an intrusive lock-free
 *     stack (no allocation per request), which the loop drains in one deferred task: a burst of
 *     requests from many threads before the loop runs costs one {@link Loop#defer} and one wakeup.
 * <li>Loop to stream threads: threads the loop wakes during a pass are unparked together at the end
 *     of the pass (a post hook), so the carrier wakes once per pass instead of once per socket.
 * </ul>
 * (A "kicker" virtual thread that yielded before waking the loop, to gather more writers per
 * wakeup, was measured and dropped: same CPU per echo, higher latency.)
 */
final class LoopBridge implements Runnable {
    private static final ConcurrentHashMap<Loop, LoopBridge> BRIDGES = new ConcurrentHashMap<>();

    final Loop loop;
    private final AtomicReference<TcpStream> head = new AtomicReference<>();
    // loop thread only
    private Thread[] toWake = new Thread[64];
    private int toWakeCount;
    private volatile boolean hookInstalled;

    private LoopBridge(Loop loop) {
        this.loop = loop;
    }

    static LoopBridge of(Loop loop) {
        LoopBridge b = BRIDGES.get(loop);
        if (b != null) return b;
        if (BRIDGES.size() > 64) BRIDGES.keySet().removeIf(Loop::isClosed); // forget closed loops now and then
        return BRIDGES.computeIfAbsent(loop, l -> {
            LoopBridge created = new LoopBridge(l);
            l.runOnLoop(() -> {
                l.onPost(created::wakeAll);
                created.hookInstalled = true;
            });
            return created;
        });
    }

    // ------------------------------------------------------------------ stream threads -> loop

    /** Queues {@code stream} (not queued now) for {@link TcpStream#runOps()} on the loop. Any thread. */
    void enqueue(TcpStream stream) {
        TcpStream h;
        do {
            h = head.get();
            stream.nextQueued = h;
        } while (!head.compareAndSet(h, stream));
        if (h == null) deferDrain(); // else a drain is queued already
    }

    private void deferDrain() {
        try {
            loop.defer(this);
        } catch (RejectedExecutionException closed) {
            // The loop closed: its sockets closed with it, and their streams have failed already.
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

    // ------------------------------------------------------------------ loop -> stream threads

    /**
     * Unparks {@code t}: at the end of the loop pass when called on the loop, else now. Only for the
     * steady state (data, space): closing paths unpark at once, since a closing loop runs no more passes.
     */
    void wake(Thread t) {
        if (!hookInstalled || !loop.isOnLoopThread()) {
            LockSupport.unpark(t);
            return;
        }
        if (toWakeCount == toWake.length) toWake = java.util.Arrays.copyOf(toWake, toWakeCount * 2);
        toWake[toWakeCount++] = t;
    }

    private void wakeAll() {
        for (int i = 0; i < toWakeCount; i++) {
            LockSupport.unpark(toWake[i]);
            toWake[i] = null;
        }
        toWakeCount = 0;
    }
}

package dev.gust.nio2;

import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.LoopOptions;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AsynchronousChannelGroup} backed by a Gust {@link LoopGroup}: each of its "threads" is
 * a loop, and each channel lives on one loop. Created by {@link GustAsynchronousChannelProvider}:
 *
 * <pre>{@code
 * var group = AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().factory());
 * var server = AsynchronousServerSocketChannel.open(group).bind(new InetSocketAddress(0));
 * // ... handlers run on the group's single loop thread
 * group.shutdownNow();                          // closes every channel of the group
 * group.awaitTermination(5, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Shutdown follows the JDK: {@link #shutdown()} refuses new channels and terminates the group
 * (stops the loops) once its last channel is closed; {@link #shutdownNow()} also closes every open
 * channel, whose pending operations fail with {@link java.nio.channels.AsynchronousCloseException}.
 */
final class GustChannelGroup extends AsynchronousChannelGroup {
    private static final System.Logger LOG = System.getLogger("dev.gust.nio2");
    /** Receive buffer per loop: also the most a channel keeps for a reader with a smaller buffer. */
    static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final LoopGroup loops;
    private final LoopSlot[] slots;
    private final ExecutorService executor; // shut down on termination (JDK contract); may be null
    private final boolean isDefault;
    private final Set<GustChannel> channels = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile boolean shutdown;
    private final AtomicBoolean terminating = new AtomicBoolean();

    private GustChannelGroup(AsynchronousChannelProvider provider, LoopGroup loops, ExecutorService executor,
                             boolean isDefault) {
        super(provider);
        this.loops = loops;
        this.executor = executor;
        this.isDefault = isDefault;
        this.slots = new LoopSlot[loops.size()];
        for (int i = 0; i < slots.length; i++) slots[i] = new LoopSlot(this, loops.loop(i));
    }

    /** n loops, each run on a thread made by {@code factory}. */
    static GustChannelGroup create(AsynchronousChannelProvider provider, int n, ThreadFactory factory,
                                   ExecutorService executor) throws IOException {
        return create(provider, n, factory, executor, false);
    }

    private static GustChannelGroup create(AsynchronousChannelProvider provider, int n, ThreadFactory factory,
                                           ExecutorService executor, boolean isDefault) throws IOException {
        LoopOptions options = LoopOptions.defaults().withReadBufferSize(READ_BUFFER_SIZE)
                .withName("gust-nio2-" + GROUPS.incrementAndGet());
        LoopGroup group;
        try {
            group = LoopGroup.create(n, options);
        } catch (RuntimeException e) {
            throw new IOException("cannot create " + n + " loops: " + e.getMessage(), e);
        }
        List<Thread> started = new ArrayList<>();
        for (Loop loop : group.loops()) {
            Thread t = factory.newThread(loop::run);
            if (t == null) {
                group.close();
                throw new IOException("the thread factory returned null");
            }
            t.start();
            started.add(t);
        }
        // Wait until every loop owns its thread, so loop-thread checks are exact from here on.
        for (int i = 0; i < group.size(); i++) {
            Loop loop = group.loop(i);
            while (!loop.isRunning() && started.get(i).isAlive()) Thread.onSpinWait();
            if (!loop.isRunning()) {
                group.close();
                throw new IOException("loop thread " + started.get(i).getName() + " died at start");
            }
        }
        return new GustChannelGroup(provider, group, executor, isDefault);
    }

    // ------------------------------------------------------------------ the default group

    private static final class DefaultHolder {
        static final GustChannelGroup GROUP;

        static {
            try {
                GROUP = create(new GustAsynchronousChannelProvider(), Runtime.getRuntime().availableProcessors(),
                        daemonThreads("gust-nio2-default"), null, true);
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** The group of channels opened without one: created on first use, daemon threads, never terminates. */
    static GustChannelGroup defaultGroup() {
        return DefaultHolder.GROUP;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> Thread.ofPlatform().daemon(true).name(prefix + "-" + n.getAndIncrement()).unstarted(r);
    }

    // ------------------------------------------------------------------ loops and channels

    /** The next loop (round robin) for a new channel. */
    LoopSlot nextSlot() {
        Loop l = loops.next();
        return slotOf(l);
    }

    LoopSlot slotOf(Loop loop) {
        for (LoopSlot s : slots) if (s.loop == loop) return s;
        throw new IllegalArgumentException(loop + " is not a loop of " + this);
    }

    LoopGroup loopGroup() {
        return loops;
    }

    /** Adds a new channel; refused once shut down. */
    void register(GustChannel channel) {
        synchronized (lock) {
            if (shutdown) throw new ShutdownChannelGroupException();
            channels.add(channel);
        }
    }

    /** A channel closed: the last one terminates a shut-down group. */
    void unregister(GustChannel channel) {
        boolean last;
        synchronized (lock) {
            last = channels.remove(channel) && shutdown && channels.isEmpty();
        }
        if (last) terminate();
    }

    // ------------------------------------------------------------------ AsynchronousChannelGroup

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        for (Loop l : loops.loops()) if (!l.isTerminated()) return false;
        return true;
    }

    @Override
    public void shutdown() {
        if (isDefault) return; // the JVM-wide group lives as long as the JVM (its threads are daemons)
        boolean empty;
        synchronized (lock) {
            shutdown = true;
            empty = channels.isEmpty();
        }
        if (empty) terminate();
    }

    @Override
    public void shutdownNow() throws IOException {
        if (isDefault) return;
        synchronized (lock) {
            shutdown = true;
        }
        GustChannel[] all = channels.toArray(GustChannel[]::new);
        boolean[] mine = new boolean[all.length];
        for (int i = 0; i < all.length; i++) mine[i] = all[i].markClosed();
        for (int i = 0; i < all.length; i++) {
            if (!mine[i]) continue; // another thread closes it
            try {
                all[i].finishClose();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + all[i] + " on shutdownNow", e);
            }
        }
        terminate();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Loop l : loops.loops()) {
            long left = deadline - System.nanoTime();
            if (!l.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) return false;
        }
        return true;
    }

    /**
     * Stops the loops once. Loop.shutdown() lets tasks already deferred run first (the failure
     * callbacks of closed channels among them), then closes the loop; it never blocks, so it is safe
     * from a handler on a loop thread.
     */
    private void terminate() {
        if (!terminating.compareAndSet(false, true)) return;
        for (Loop l : loops.loops()) l.shutdown();
        if (executor != null) executor.shutdown();
    }

    @Override
    public String toString() {
        return "GustChannelGroup[" + loops.size() + " loops" + (isDefault ? ", default" : "")
                + (shutdown ? ", shutdown" : "") + "]";
    }
}

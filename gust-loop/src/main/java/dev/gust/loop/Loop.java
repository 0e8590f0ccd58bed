package dev.gust.loop;

import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop: one thread that waits for I/O readiness, runs socket callbacks, timers and
 * deferred tasks. Everything a loop owns (sockets, timers) is used only from its thread, so none
 * of it needs locks; other threads talk to the loop with {@link #defer(Runnable)}.
 *
 * <pre>{@code
 * Loop loop = Loop.create();
 * loop.timer(() -> System.out.println("one second later")).schedule(Duration.ofSeconds(1));
 * loop.start();                        // or loop.run() to use the calling thread
 * loop.defer(() -> System.out.println("runs on the loop thread"));
 * loop.close();                        // closes sockets and timers, stops the thread
 * }</pre>
 *
 * <p>A loop is also a {@link ScheduledExecutorService}: {@code execute} defers, {@code schedule*}
 * use precise timers, so standard Java code can run on it. {@link #shutdown()} stops accepting
 * tasks, lets submitted ones (and pending one-shot delayed ones) finish, then closes the loop.
 *
 * <p>Loop-only calls made from another thread while the loop runs throw
 * {@link WrongThreadException} naming the call and both threads. Before the loop runs, setup calls
 * (listen, connect, timers) may be made from the thread that created it.
 */
public final class Loop extends AbstractExecutorService implements ScheduledExecutorService, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final LoopOptions options;
    private final Poller poller;
    private final ConcurrentLinkedQueue<Runnable> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Object stateLock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<Runnable> preHooks = new ArrayList<>(), postHooks = new ArrayList<>(),
            wakeupHooks = new ArrayList<>();
    final TimerHeap timers = new TimerHeap();
    final TimerWheel wheel;
    final ByteBuffer readBuffer;
    final ByteBuffer corkBuffer;
    Socket<?> corkedSocket;
    /** Sockets with an outbox to send at the end of this pass, and a pool of outbox buffers. */
    private final java.util.ArrayList<Socket<?>> outboxes = new java.util.ArrayList<>();
    private final java.util.ArrayDeque<ByteBuffer> outboxPool = new java.util.ArrayDeque<>();
    /** Scratch array for gathering writes (header + payload, cork + data): shared, so sockets carry none. */
    final ByteBuffer[] gather = new ByteBuffer[3];
    private TlsBuffers tlsBuffers; // created on first TLS use
    private final String name;

    private volatile State state = State.NEW;
    private volatile Thread owner;
    private volatile boolean stopRequested, closeRequested;
    private volatile boolean executorShutdown;
    private int pendingDelayedTasks; // one-shot executor tasks not yet run (loop thread)
    private long iteration;
    private long busyNanos; // time spent working (not waiting in poll), for load metrics
    private long longestIterationNanos;
    private long waitEnded; // when the first readiness of this pass arrived (0: none yet)
    private LoopResource resources; // head of the intrusive list of open resources

    private Loop(LoopOptions options) throws IOException {
        this.options = options;
        this.name = options.name() != null ? options.name() : "gust-loop-" + COUNTER.incrementAndGet();
        this.poller = options.transport().openPoller(this::dispatch);
        this.wheel = new TimerWheel(options.wheelSlots(), options.wheelTick().toNanos(), System.nanoTime());
        this.readBuffer = ByteBuffer.allocateDirect(options.readBufferSize());
        this.corkBuffer = ByteBuffer.allocateDirect(options.corkBufferSize());
    }

    /** A loop with {@link LoopOptions#defaults()}. */
    public static Loop create() {
        return create(LoopOptions.defaults());
    }

    /** A loop with the given options; it does nothing until {@link #run()} or {@link #start()}. */
    public static Loop create(LoopOptions options) {
        try {
            return new Loop(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a " + options.transport().name() + " poller", e);
        }
    }

    public LoopOptions options() {
        return options;
    }

    /** The loop's name (its thread's name when started with {@link #start()}). */
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Runs the loop on the calling thread until {@link #stop()} or {@link #close()}.
     *
     * @throws IllegalStateException if the loop already runs (on any thread) or is closed
     */
    public void run() {
        synchronized (stateLock) {
            if (state == State.RUNNING) {
                throw new IllegalStateException("Loop.run: loop '" + name + "' is already running on thread '"
                        + owner.getName() + "'");
            }
            if (state == State.CLOSED) throw new IllegalStateException("Loop.run: loop '" + name + "' is closed");
            state = State.RUNNING;
            owner = Thread.currentThread();
            stopRequested = false;
        }
        try {
            while (!stopRequested && !closeRequested) {
                iterate();
            }
        } finally {
            if (closeRequested) closeResources();
            synchronized (stateLock) {
                owner = null;
                state = closeRequested ? State.CLOSED : State.STOPPED;
            }
            if (closeRequested) terminated.countDown();
        }
    }

    /** Starts {@link #run()} on a new platform thread named after the loop; returns this loop. */
    public Loop start() {
        Thread t = Thread.ofPlatform().name(name).unstarted(this::run);
        t.start();
        // Wait until the loop owns its thread, so that thread checks are exact from here on.
        while (t.isAlive() && owner != t) Thread.onSpinWait();
        return this;
    }

    /** Makes {@link #run()} return after the current iteration; sockets and timers stay open. Any thread. */
    public void stop() {
        stopRequested = true;
        poller.wakeup();
    }

    /**
     * Closes every socket (their close callbacks run with {@link CloseCode#LOOP_CLOSED}), listener and
     * timer, then stops the loop. From another thread it waits for the loop thread to finish;
     * on the loop thread it takes effect at the end of the current iteration.
     */
    @Override
    public void close() {
        Thread current = Thread.currentThread();
        boolean wait;
        synchronized (stateLock) {
            if (state == State.CLOSED) return;
            closeRequested = true;
            wait = state == State.RUNNING && owner != current;
            if (state != State.RUNNING) {
                // Not running: close here, as the owner.
                owner = current;
                try {
                    closeResources();
                } finally {
                    owner = null;
                    state = State.CLOSED;
                    terminated.countDown();
                }
                return;
            }
        }
        poller.wakeup();
        if (wait) {
            boolean interrupted = false;
            while (true) {
                try {
                    terminated.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) current.interrupt();
        }
    }

    /** True after {@link #close()} has finished. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** True while {@link #run()} is executing. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    private void closeResources() {
        // Run what other threads deferred before the close, so their sockets are seen and closed.
        runDeferred();
        flushCork();
        while (resources != null) {
            LoopResource r = resources;
            unregister(r);
            try {
                r.closeForLoopShutdown();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) throw e;
                LOG.log(System.Logger.Level.WARNING, "error while closing a resource of loop " + name, e);
            }
        }
        for (PreciseTimer t : timers.clear()) {
            if (t.task != null) t.task.cancel(false);
        }
        // Anything deferred now can never run: drop it (executor tasks see cancellation via shutdownNow semantics).
        deferred.clear();
        try {
            poller.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing poller", e);
        }
    }

    // ------------------------------------------------------------------ the iteration

    private void iterate() {
        long start = System.nanoTime();
        iteration++;
        runHooks(preHooks, "pre hook");
        long timeout = pollTimeout();
        long beforePoll = System.nanoTime();
        waitEnded = 0;
        try {
            poller.poll(timeout);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "poll failed on loop " + name, e);
        }
        // The poller runs the I/O callbacks inside poll(): the wait ended at the first of them.
        long waited = (waitEnded != 0 ? waitEnded : System.nanoTime()) - beforePoll;
        flushCork();
        runDeferred();
        long now = System.nanoTime();
        runDueTimers(now);
        wheel.advance(now);
        flushCork();
        runHooks(postHooks, "post hook");
        long busy = System.nanoTime() - start - waited;
        busyNanos += busy;
        if (busy > longestIterationNanos) longestIterationNanos = busy;
    }

    private long pollTimeout() {
        if (!deferred.isEmpty() || stopRequested || closeRequested) return 0;
        long now = System.nanoTime();
        long timeout = -1;
        PreciseTimer next = timers.peek();
        if (next != null) timeout = Math.max(0, next.deadline - now);
        long wheelWait = wheel.nanosToNextTick(now);
        if (wheelWait >= 0 && (timeout < 0 || wheelWait < timeout)) timeout = wheelWait;
        return timeout;
    }

    private void dispatch(Object attachment, int readyOps) {
        if (waitEnded == 0) waitEnded = System.nanoTime();
        ((LoopResource) attachment).onReady(readyOps);
    }

    private void runDeferred() {
        boolean woken = wakeupPending.getAndSet(false);
        if (woken && !wakeupHooks.isEmpty()) runHooks(wakeupHooks, "wakeup hook");
        // Run only what is queued now; tasks deferred by these tasks run next iteration (no starvation of I/O).
        int n = deferred.size();
        for (int i = 0; i < n; i++) {
            Runnable r = deferred.poll();
            if (r == null) break;
            runGuarded(r, "deferred task");
        }
    }

    private void runDueTimers(long now) {
        int budget = timers.size();
        PreciseTimer t;
        while (budget-- > 0 && (t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.remove(t);
            if (t.periodNanos > 0) {
                t.deadline += t.periodNanos;
                timers.add(t);
            }
            runGuarded(t.callback, "timer");
        }
    }

    private void runHooks(List<Runnable> hooks, String what) {
        for (int i = 0, n = hooks.size(); i < n; i++) runGuarded(hooks.get(i), what);
    }

    /** Runs a task; an exception is logged and never escapes into the loop. */
    void runGuarded(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) throw e;
            LOG.log(System.Logger.Level.WARNING, what + " threw on loop " + name, e);
        }
    }

    /** The number of iterations (poll rounds) so far. */
    public long iteration() {
        return iteration;
    }

    /**
     * Nanoseconds the loop has spent working — I/O callbacks, deferred tasks, timers, hooks: everything
     * but waiting for readiness — for load metrics: busy time over wall time is the loop's
     * utilisation, busy time over {@link #iteration()} its mean pass. Loop thread (a racy read
     * elsewhere is harmless).
     */
    public long busyNanos() {
        return busyNanos;
    }

    /**
     * The longest single pass so far (busy time, as {@link #busyNanos()} counts it): how long one
     * callback-heavy pass kept every other socket of this loop waiting. Loop thread (a racy read
     * elsewhere is harmless).
     */
    public long longestIterationNanos() {
        return longestIterationNanos;
    }

    /** Adds a hook that runs at the start of every iteration, before polling. Loop thread only. */
    public void onPre(Runnable hook) {
        checkThread("Loop.onPre");
        preHooks.add(hook);
    }

    /** Adds a hook that runs at the end of every iteration. Loop thread only. */
    public void onPost(Runnable hook) {
        checkThread("Loop.onPost");
        postHooks.add(hook);
    }

    /** Adds a hook that runs when another thread has woken the loop with {@link #defer}. Loop thread only. */
    public void onWakeup(Runnable hook) {
        checkThread("Loop.onWakeup");
        wakeupHooks.add(hook);
    }

    // ------------------------------------------------------------------ threads

    /** True when called on the loop's thread. */
    public boolean isOnLoopThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Throws {@link WrongThreadException} when a loop-only {@code call} comes from another thread
     * while the loop runs.
     */
    public void checkThread(String call) {
        Thread o = owner;
        if (o != null && o != Thread.currentThread()) {
            throw new WrongThreadException(call + " must be called on the loop thread '" + o.getName()
                    + "', not on '" + Thread.currentThread().getName() + "'; use loop.defer(...)");
        }
    }

    /**
     * Queues {@code task} to run on the loop thread, in FIFO order; callable from any thread. A burst
     * of defers costs one wakeup of the loop.
     *
     * @throws RejectedExecutionException if the loop is closed
     */
    public void defer(Runnable task) {
        if (state == State.CLOSED || closeRequested && !isOnLoopThread()) {
            throw new RejectedExecutionException("loop '" + name + "' is closed");
        }
        deferred.add(task);
        if (owner != Thread.currentThread() && !wakeupPending.getAndSet(true)) {
            poller.wakeup();
        }
    }

    /** Runs {@code task} now when called on the loop thread, otherwise {@link #defer defers} it. */
    public void runOnLoop(Runnable task) {
        if (isOnLoopThread()) task.run();
        else defer(task);
    }

    // ------------------------------------------------------------------ timers

    /** A precise timer (exact deadlines, O(log n) arm). Arm it with {@link Timer#schedule}. */
    public Timer timer(Runnable callback) {
        return new PreciseTimer(this, callback);
    }

    /** A coarse timer on the wheel (O(1) arm/cancel, within one {@link LoopOptions#wheelTick()} late). */
    public Timer coarseTimer(Runnable callback) {
        return new CoarseTimer(this, callback);
    }

    /** Runs {@code callback} once after {@code delay}; returns the armed precise timer. */
    public Timer setTimeout(Duration delay, Runnable callback) {
        Timer t = timer(callback);
        t.schedule(delay);
        return t;
    }

    /** Runs {@code callback} every {@code period}; returns the armed precise timer. */
    public Timer setInterval(Duration period, Runnable callback) {
        Timer t = timer(callback);
        t.schedule(period, period);
        return t;
    }

    // ------------------------------------------------------------------ resources and corking

    void register(LoopResource r) {
        if (r.registered) return;
        r.registered = true;
        r.nextResource = resources;
        if (resources != null) resources.prevResource = r;
        resources = r;
    }

    void unregister(LoopResource r) {
        if (!r.registered) return;
        r.registered = false;
        if (r.prevResource != null) r.prevResource.nextResource = r.nextResource;
        else resources = r.nextResource;
        if (r.nextResource != null) r.nextResource.prevResource = r.prevResource;
        r.prevResource = r.nextResource = null;
    }

    /** Visits open resources (used by context close); the visitor may close the visited resource. */
    void forEachResource(java.util.function.Consumer<LoopResource> visitor) {
        LoopResource r = resources;
        while (r != null) {
            LoopResource next = r.nextResource;
            visitor.accept(r);
            r = next;
        }
    }

    /** TLS: the loop's shared TLS buffers (created on first TLS use). */
    TlsBuffers tlsBuffers() {
        if (tlsBuffers == null) tlsBuffers = new TlsBuffers(readBuffer.capacity());
        return tlsBuffers;
    }

    /** Writes out the socket that holds the cork buffer, if any, then every socket's outbox. */
    void flushCork() {
        Socket<?> s = corkedSocket;
        if (s != null) s.uncork();
        if (!outboxes.isEmpty()) flushOutboxes();
    }

    private void flushOutboxes() {
        // Index loop: a flush may fail a socket whose close callback writes (and adds outboxes) again.
        for (int i = 0; i < outboxes.size(); i++) outboxes.get(i).flushOutbox();
        outboxes.clear();
    }

    /** A pooled direct buffer for {@code socket}'s outbox; the socket is flushed at the end of the pass. */
    ByteBuffer takeOutbox(Socket<?> socket) {
        outboxes.add(socket);
        ByteBuffer b = outboxPool.poll();
        return b != null ? b : ByteBuffer.allocateDirect(corkBuffer.capacity());
    }

    void returnOutbox(ByteBuffer b) {
        b.clear();
        if (outboxPool.size() < 64) outboxPool.add(b); // keep a few; the rest go to the GC
    }

    // ------------------------------------------------------------------ ScheduledExecutorService

    @Override
    public void execute(Runnable command) {
        if (executorShutdown) throw new RejectedExecutionException("loop '" + name + "' is shut down");
        defer(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return submitScheduled(new LoopScheduledTask<>(this, callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period must be positive");
        return submitScheduled(new LoopScheduledTask<>(this, Executors.callable(command), unit.toNanos(initialDelay),
                unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) throw new IllegalArgumentException("delay must be positive");
        return submitScheduled(new LoopScheduledTask<>(this, Executors.callable(command), unit.toNanos(initialDelay),
                -unit.toNanos(delay)));
    }

    private <V> ScheduledFuture<V> submitScheduled(LoopScheduledTask<V> task) {
        if (executorShutdown) throw new RejectedExecutionException("loop '" + name + "' is shut down");
        runOnLoop(task::arm);
        return task;
    }

    void delayedTaskArmed(LoopScheduledTask<?> task) {
        if (!task.isPeriodic()) pendingDelayedTasks++;
    }

    void delayedTaskDone(LoopScheduledTask<?> task) {
        if (!task.isPeriodic()) {
            pendingDelayedTasks--;
            if (executorShutdown) maybeFinishShutdown();
        }
    }

    private void maybeFinishShutdown() {
        if (pendingDelayedTasks <= 0) close();
    }

    /**
     * Stops accepting tasks; already submitted tasks and pending one-shot delayed tasks still run,
     * periodic tasks are cancelled, then the loop closes.
     */
    @Override
    public void shutdown() {
        if (executorShutdown) return;
        executorShutdown = true;
        try {
            // FIFO: this runs after every task submitted before shutdown.
            defer(() -> {
                cancelPeriodicTasks();
                maybeFinishShutdown();
            });
        } catch (RejectedExecutionException alreadyClosed) {
            // nothing left to finish
        }
    }

    private void cancelPeriodicTasks() {
        PreciseTimer[] all = timers.clear();
        for (PreciseTimer t : all) {
            if (t.task != null && t.task.isPeriodic()) t.task.cancel(false);
            else timers.add(t);
        }
    }

    /** Stops accepting tasks, cancels delayed ones, closes the loop, and returns tasks that never ran. */
    @Override
    public List<Runnable> shutdownNow() {
        executorShutdown = true;
        List<Runnable> never = new ArrayList<>();
        Runnable r;
        while ((r = deferred.poll()) != null) never.add(r);
        close();
        return never;
    }

    @Override
    public boolean isShutdown() {
        return executorShutdown || state == State.CLOSED;
    }

    @Override
    public boolean isTerminated() {
        return state == State.CLOSED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        if (isOnLoopThread()) throw new IllegalStateException("invokeAll would block the loop thread");
        return super.invokeAll(tasks);
    }

    @Override
    public String toString() {
        return "Loop[" + name + ", " + state + ", transport=" + options.transport().name() + "]";
    }

    static int interestFor(boolean read, boolean write) {
        return (read ? Readiness.READ : 0) | (write ? Readiness.WRITE : 0);
    }

    Poller poller() {
        return poller;
    }
}

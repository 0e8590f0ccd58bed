package dev.gust.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A runtime of N {@link Loop}s, each on its own thread: the unit that spreads connections over the
 * cores. Each loop stays single-threaded and shares nothing with the others; work crosses between
 * them only as messages ({@link Loop#defer}, FIFO per sending thread) or by handing a socket over
 * ({@link Socket#moveTo}).
 *
 * <p>{@link #listen} spreads accepted connections: by default every loop listens with SO_REUSEPORT
 * and the kernel balances; with {@link ListenOptions.Distribution#ACCEPTOR} (or automatically when
 * the transport cannot reuse ports) loop 0 accepts and hands each connection to the next loop in
 * round-robin order.
 *
 * <pre>{@code
 * LoopGroup group = LoopGroup.create();                 // one loop per available processor
 * group.listen("0.0.0.0", 9000, loop -> SocketContext.create(loop, null, echoHandler));
 * group.start();                                        // every loop on its own thread
 * group.next().defer(() -> System.out.println("hello from a loop"));
 * }</pre>
 */
public final class LoopGroup implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.LoopGroup");
    private final List<Loop> loops;
    private final AtomicInteger nextIndex = new AtomicInteger();

    private LoopGroup(List<Loop> loops) {
        this.loops = Collections.unmodifiableList(loops);
    }

    /** A group of {@link Runtime#availableProcessors()} loops with {@link LoopOptions#defaults()}. */
    public static LoopGroup create() {
        return create(defaultSize());
    }

    /** A group of {@code size} loops with {@link LoopOptions#defaults()}. */
    public static LoopGroup create(int size) {
        return create(size, LoopOptions.defaults());
    }

    /**
     * A group of {@code size} loops with these options; loop {@code i} is named {@code name-i} (or
     * {@code gust-loop-i} when the options carry no name).
     */
    public static LoopGroup create(int size, LoopOptions options) {
        if (size < 1) throw new IllegalArgumentException("a loop group needs at least one loop, got " + size);
        String base = options.name() != null ? options.name() : "gust-loop";
        List<Loop> loops = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) loops.add(Loop.create(options.withName(base + "-" + i)));
        } catch (RuntimeException e) {
            for (Loop l : loops) l.close();
            throw e;
        }
        return new LoopGroup(loops);
    }

    /** Wraps loops created elsewhere (the group's {@link #close()} closes them). */
    public static LoopGroup of(List<Loop> loops) {
        if (loops.isEmpty()) throw new IllegalArgumentException("a loop group needs at least one loop");
        return new LoopGroup(new ArrayList<>(loops));
    }

    /** The default group size: the number of available processors. */
    public static int defaultSize() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public int size() {
        return loops.size();
    }

    public Loop loop(int index) {
        return loops.get(index);
    }

    /** The loops, in index order. */
    public List<Loop> loops() {
        return loops;
    }

    /** The next loop in round-robin order, for spreading work that has no affinity. Any thread. */
    public Loop next() {
        if (loops.size() == 1) return loops.getFirst();
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /** The group's loop running the calling thread, or null when called from elsewhere. */
    public Loop current() {
        for (Loop l : loops) if (l.isOnLoopThread()) return l;
        return null;
    }

    /** Runs {@code task} on the next loop. */
    @Override
    public void execute(Runnable task) {
        next().execute(task);
    }

    /** Starts every loop that is not running yet on its own platform thread; returns this group. */
    public LoopGroup start() {
        for (Loop l : loops) if (!l.isRunning() && !l.isClosed()) l.start();
        return this;
    }

    /**
     * Runs {@code task} on every loop (inline for the calling loop, deferred for the others) and
     * completes when all have run it; the first failure completes the result exceptionally.
     */
    public CompletableFuture<Void> onEach(Consumer<Loop> task) {
        List<CompletableFuture<Void>> all = new ArrayList<>(loops.size());
        for (Loop l : loops) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            all.add(f);
            Runnable r = () -> {
                try {
                    task.accept(l);
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            };
            if (l.isRunning()) l.runOnLoop(r);
            else r.run(); // not started yet: no thread owns it, so the caller may set it up
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * Listens on {@code host:port} for every loop, each loop with its own context from
     * {@code contexts}, so accepted connections spread over the loops. By default every loop listens
     * with SO_REUSEPORT (the kernel balances new connections between the loops' listeners); port 0
     * picks one free port that all loops share. See {@link ListenOptions.Distribution} for the
     * acceptor alternative. Call before {@link #start()} or from any non-loop thread while running;
     * blocks until every loop listens.
     *
     * @return the listeners in loop order: one per loop, or (acceptor mode) the one of loop 0
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public <C, S> List<ListenSocket> listen(String host, int port,
                                            Function<Loop, SocketContext<C, S>> contexts) {
        return listen(host, port, ListenOptions.defaults(), contexts);
    }

    /**
     * {@link #listen(String, int, Function)} with these options: with more than one loop, SO_REUSEPORT
     * is added ({@link ListenOptions.Distribution#REUSE_PORT}) or loop 0 accepts for all
     * ({@link ListenOptions.Distribution#ACCEPTOR}, also the fallback when the transport cannot reuse ports).
     */
    public <C, S> List<ListenSocket> listen(String host, int port, ListenOptions options,
                                            Function<Loop, SocketContext<C, S>> contexts) {
        if (loops.size() == 1) return List.of(onLoop(loops.getFirst(), () -> contexts.apply(loops.getFirst()).listen(host, port, options)));
        if (distribution(options) == ListenOptions.Distribution.ACCEPTOR) return listenWithAcceptor(host, port, options, contexts);
        if (!options.reusePort() && port != 0) refuseTakenPort(host, port);
        ListenOptions shared = options.withReusePort(true).withExclusive(false);
        List<ListenSocket> listeners = new ArrayList<>(loops.size());
        int boundPort = port;
        try {
            for (Loop l : loops) {
                int p = boundPort;
                ListenSocket ls = onLoop(l, () -> contexts.apply(l).listen(host, p, shared));
                listeners.add(ls);
                boundPort = ls.port();
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < listeners.size(); i++) {
                ListenSocket ls = listeners.get(i);
                onLoop(loops.get(i), () -> {
                    ls.close();
                    return null;
                });
            }
            throw e;
        }
        return Collections.unmodifiableList(listeners);
    }

    /**
     * SO_REUSEPORT would silently share a port another process (or listener) already serves, so a
     * second server started by mistake would take half the connections. Unless sharing was asked for
     * ({@link ListenOptions#withReusePort}), probe the port first with a plain bind, which fails while
     * anyone listens there, and fail like a single-loop listen does.
     */
    private static void refuseTakenPort(String host, int port) {
        java.net.InetSocketAddress address = SocketContext.resolve(host, port);
        try (var probe = java.nio.channels.ServerSocketChannel.open(
                address.getAddress() instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6
                        : java.net.StandardProtocolFamily.INET)) {
            probe.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true); // TIME_WAIT is no conflict
            probe.bind(address, 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * The distribution to use: as asked, unless the transport cannot reuse ports.
     *
     * @throws IllegalStateException for an acceptor on a transport that cannot hand sockets over
     */
    private ListenOptions.Distribution distribution(ListenOptions options) {
        var transport = loops.getFirst().options().transport();
        if (options.distribution() == ListenOptions.Distribution.REUSE_PORT && !transport.supportsReusePort()) {
            LOG.log(System.Logger.Level.INFO, "transport {0} cannot set SO_REUSEPORT: loop {1} accepts for all {2} loops",
                    transport.name(), loops.getFirst().name(), loops.size());
            if (!transport.supportsHandOff()) {
                throw new IllegalStateException("transport " + transport.name()
                        + " can neither share a port (SO_REUSEPORT) nor hand sockets between loops");
            }
            return ListenOptions.Distribution.ACCEPTOR;
        }
        if (options.distribution() == ListenOptions.Distribution.ACCEPTOR && !transport.supportsHandOff()) {
            throw new IllegalStateException("transport " + transport.name() + " cannot hand sockets between loops;"
                    + " use Distribution.REUSE_PORT");
        }
        return options.distribution();
    }

    /** Loop 0 listens and hands accepted connections round-robin to every loop's context. */
    private <C, S> List<ListenSocket> listenWithAcceptor(String host, int port, ListenOptions options,
                                                         Function<Loop, SocketContext<C, S>> contexts) {
        List<SocketContext<C, S>> targets = new ArrayList<>(loops.size());
        for (Loop l : loops) targets.add(onLoop(l, () -> contexts.apply(l)));
        Loop acceptor = loops.getFirst();
        ListenSocket ls = onLoop(acceptor, () -> {
            ListenSocket listener = targets.getFirst().listen(host, port, options.withReusePort(false));
            listener.spreadOver(targets);
            return listener;
        });
        return List.of(ls);
    }

    private static <T> T onLoop(Loop loop, java.util.function.Supplier<T> action) {
        if (!loop.isRunning() || loop.isOnLoopThread()) return action.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.defer(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Closes every loop (sockets get {@link CloseCode#LOOP_CLOSED}) and waits for their threads. */
    @Override
    public void close() {
        for (Loop l : loops) l.close();
    }

    @Override
    public String toString() {
        return "LoopGroup[" + loops.size() + " loops]";
    }
}

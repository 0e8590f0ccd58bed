package dev.gust.websocket;

import dev.gust.http.HttpHandler;
import dev.gust.http.HttpServer;
import dev.gust.http.HttpServerOptions;
import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP + WebSocket application with built-in pub/sub: the Bun/uWebSockets-style entry point.
 *
 * <pre>{@code
 * record User(String name) {}
 * App app = Gust.app()
 *     .get("/health", (req, res) -> res.end("ok"))
 *     .ws("/chat/:room", WebSocketBehavior.<User>builder()
 *         .upgrade((req, res, ctx) -> res.upgrade(new User(req.query("name")), ctx))
 *         .open(ws -> ws.subscribe(ws.param("room")))
 *         .message((ws, msg) -> ws.publish(ws.param("room"), msg))
 *         .build())
 *     .listen(8080);
 * app.publish("announcements", "maintenance at noon");   // from any thread, to every subscriber
 * }</pre>
 *
 * <p>Routes are added before {@link #listen}. {@link #close()} is graceful: listeners close, every
 * WebSocket gets close code 1001, in-flight HTTP requests finish.
 *
 * <h2>Apps on many loops</h2>
 * An app runs on ONE loop thread unless asked for more (like one uWebSockets app per thread, and
 * what the benchmarks measure). {@code Gust.app(4)} (or {@link HttpServerOptions#withLoops(int)})
 * serves the same port from four loop threads; the kernel spreads connections over them and a
 * connection stays on its loop, so its callbacks always run on one thread.
 * <pre>{@code
 * App app = Gust.app(4)
 *     .ws("/chat/:room", WebSocketBehavior.builder()
 *         .open(ws -> ws.subscribe(ws.param("room")))
 *         .message((ws, msg) -> ws.publish(ws.param("room"), msg))   // reaches all four loops
 *         .build())
 *     .listen(8080);
 * }</pre>
 * Every loop has its own pub/sub. {@code ws.publish} delivers to the subscribers on its own loop at
 * once and hands ONE copy of the payload to each other loop that has subscribers of the topic,
 * which frames it once for its own subscribers; {@link #publish(String, String)} reaches every loop.
 * The order of one publisher's messages is kept on every loop. {@link #numSubscribers},
 * {@link #stats()} and {@link #pubSubCounters()} sum over the loops; a {@link Backplane} is
 * subscribed once per node, while any loop has subscribers of the topic, and a message from another
 * node reaches every loop exactly once. On one loop none of this costs anything: a publish
 * allocates nothing and is delivered inline.
 */
public final class App implements AutoCloseable {
    private final HttpServer http;
    private final PubSub[] pubSubs; // one per loop, in loop order
    private final AppTopics appTopics; // null on one loop
    private Backplane backplane;
    private volatile boolean listening;
    private long maxWebSocketBuffer;
    private JsonCodec json = JsonCodec.simple();
    private final Runnable statsHook = this::recordStats;

    private App(HttpServer http, HttpServerOptions options, boolean wildcards) {
        this.http = http;
        List<Loop> loops = http.loops();
        this.pubSubs = new PubSub[loops.size()];
        for (int i = 0; i < pubSubs.length; i++) pubSubs[i] = new PubSub(loops.get(i), i, wildcards);
        if (pubSubs.length > 1) {
            appTopics = new AppTopics(pubSubs.length, wildcards);
            for (PubSub p : pubSubs) p.joinLoops(appTopics, pubSubs);
        } else {
            appTopics = null;
        }
        this.maxWebSocketBuffer = options.maxBufferedBytes();
    }

    /** An app with default options and exact-match topics, on one loop. */
    public static App create() {
        return create(HttpServerOptions.defaults(), false);
    }

    /**
     * An app with the given HTTP options (including {@link HttpServerOptions#loops()}, one by
     * default); {@code wildcardTopics} enables MQTT-style subscriptions ({@code +} one level,
     * {@code #} the rest, levels separated by {@code /}).
     */
    public static App create(HttpServerOptions options, boolean wildcardTopics) {
        return new App(HttpServer.create(options), options, wildcardTopics);
    }

    /**
     * An app on every loop of a group you run (start and close): the group's size decides the
     * number of loops, and {@link #close()} leaves the loops open.
     *
     * <pre>{@code
     * LoopGroup group = LoopGroup.create(4).start();
     * App app = App.create(group, HttpServerOptions.defaults(), false).ws("/echo", echo).listen(8080);
     * }</pre>
     */
    public static App create(LoopGroup group, HttpServerOptions options, boolean wildcardTopics) {
        return new App(HttpServer.create(group, options), options, wildcardTopics);
    }

    /** The JSON encoder used by {@link WebSocket#sendJson} (default: {@link JsonCodec#simple()}). */
    public App json(JsonCodec codec) {
        this.json = codec;
        return this;
    }

    JsonCodec json() {
        return json;
    }

    /** The pub/sub of {@code loop} (one of the app's loops). */
    PubSub pubSubOn(Loop loop) {
        for (PubSub p : pubSubs) if (p.loop == loop) return p;
        throw new IllegalArgumentException(loop + " is not a loop of this app");
    }

    /** The pub/sub of the app's loop running the calling thread, or null on any other thread. */
    private PubSub pubSubHere() {
        for (PubSub p : pubSubs) if (p.loop.isOnLoopThread()) return p;
        return null;
    }

    /** The underlying HTTP server (for routes and options not mirrored here). */
    public HttpServer http() {
        return http;
    }

    /** The first loop (the only one unless the app runs on many). */
    public Loop loop() {
        return http.loop();
    }

    /** Every loop the app runs on, in order. */
    public List<Loop> loops() {
        return http.loops();
    }

    // ------------------------------------------------------------------ routes

    public App get(String pattern, HttpHandler h) {
        http.get(pattern, h);
        return this;
    }

    public App post(String pattern, HttpHandler h) {
        http.post(pattern, h);
        return this;
    }

    public App put(String pattern, HttpHandler h) {
        http.put(pattern, h);
        return this;
    }

    public App delete(String pattern, HttpHandler h) {
        http.delete(pattern, h);
        return this;
    }

    public App any(String pattern, HttpHandler h) {
        http.any(pattern, h);
        return this;
    }

    public App getBlocking(String pattern, HttpHandler h) {
        http.getBlocking(pattern, h);
        return this;
    }

    public App postBlocking(String pattern, HttpHandler h) {
        http.postBlocking(pattern, h);
        return this;
    }

    /** Serves files from {@code directory} at {@code pattern} (ending in {@code *}). */
    public App staticFiles(String pattern, java.nio.file.Path directory) {
        http.staticFiles(pattern, directory);
        return this;
    }

    /** A WebSocket route whose callbacks run on the loop. */
    public <U> App ws(String pattern, WebSocketBehavior<U> behavior) {
        http.upgrade(pattern, new WebSocketRoute<>(this, behavior));
        // A slow client may hold up to maxBackpressure plus one whole message before sends are refused.
        maxWebSocketBuffer = Math.max(maxWebSocketBuffer, behavior.maxBackpressure + behavior.maxPayloadLength + (64 << 10));
        return this;
    }

    /**
     * A WebSocket route handled by plain blocking code: each connection gets a virtual thread running
     * {@code handler}.
     *
     * <pre>{@code
     * app.wsBlocking("/echo", ws -> { for (var msg : ws) ws.send(msg); });
     * }</pre>
     */
    public App wsBlocking(String pattern, BlockingWebSocketHandler<Void> handler) {
        return wsBlocking(pattern, WebSocketBehavior.<Void>builder().build(), handler);
    }

    /** A blocking WebSocket route with the settings (and upgrade handler) of {@code behavior}. */
    public <U> App wsBlocking(String pattern, WebSocketBehavior<U> settings, BlockingWebSocketHandler<U> handler) {
        return ws(pattern, BlockingWebSocketImpl.behavior(settings, handler));
    }

    // ------------------------------------------------------------------ running

    /**
     * Joins a cluster: publishes also reach subscribers on other nodes through {@code backplane}
     * (for example {@code RedisBackplane}). Call before {@link #listen}.
     */
    public App backplane(Backplane backplane) {
        if (listening) throw new IllegalStateException("set the backplane before listen()");
        this.backplane = backplane;
        for (PubSub p : pubSubs) p.backplane = backplane;
        if (appTopics != null) appTopics.backplane = backplane;
        return this;
    }

    /** Listens on all interfaces; see {@link #listen(String, int)}. */
    public App listen(int port) {
        return listen("0.0.0.0", port);
    }

    /** Listens on {@code host:port} (0 picks a port, see {@link #port()}) on every loop and starts the loops. */
    public App listen(String host, int port) {
        http.raiseMaxBufferedBytes(maxWebSocketBuffer);
        listening = true;
        if (backplane != null) {
            // Messages from other nodes: delivered once on every loop, never relayed again; counted
            // as one publish (on the first loop).
            backplane.start((topic, text, payload) -> {
                OpCode op = text ? OpCode.TEXT : OpCode.BINARY;
                for (PubSub p : pubSubs) {
                    boolean count = p.index == 0;
                    p.loop.defer(() -> p.deliverFromNode(topic, op, ByteBuffer.wrap(payload), count));
                }
            });
        }
        http.listen(host, port);
        jdk.jfr.FlightRecorder.addPeriodicEvent(StatsEvent.class, statsHook);
        return this;
    }

    public int port() {
        return http.port();
    }

    /**
     * Publishes a text message to every subscriber of {@code topic} on every loop; callable from any
     * thread. The message is framed once per loop for all its subscribers, and compressed at most
     * once per loop for all that use permessage-deflate without context takeover
     * ({@link Compression#SHARED}); subscribers with context takeover ({@link Compression#DEDICATED})
     * each compress it with their own window. Messages published from one thread keep their order.
     */
    public void publish(String topic, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        publishFromAnyThread(topic, OpCode.TEXT, bytes);
    }

    /**
     * Publishes a received message on as-is (text or binary) to every subscriber of {@code topic},
     * the sender included. On one of the app's loops (inside a callback): framed once per loop, no
     * copy of the payload before framing on this loop. Returns the deliveries made on this loop.
     */
    public int publish(String topic, WebSocketMessage message) {
        PubSub here = pubSubs.length == 1 ? pubSubs[0] : pubSubHere();
        if (here == null) throw new WrongThreadException("App.publish(topic, WebSocketMessage) must be called on one of the app's loops");
        here.loop.checkThread("App.publish(topic, WebSocketMessage)");
        return here.publish(topic, message.isText() ? OpCode.TEXT : OpCode.BINARY, message.rewound(), null);
    }

    /** Publishes a binary message (copied) to every subscriber of {@code topic}; any thread. */
    public void publishBinary(String topic, byte[] data) {
        publishFromAnyThread(topic, OpCode.BINARY, data.clone());
    }

    /**
     * Publishes on the calling loop when it is one of ours, else on the first loop (which hands it on
     * to the others): one thread's publishes pass one FIFO queue, so they keep their order.
     */
    private void publishFromAnyThread(String topic, OpCode op, byte[] payload) {
        PubSub origin = pubSubs.length == 1 ? pubSubs[0] : pubSubHere();
        if (origin == null) origin = pubSubs[0];
        PubSub p = origin;
        Loop loop = p.loop;
        if (loop.isOnLoopThread() || !loop.isRunning()) p.publish(topic, op, ByteBuffer.wrap(payload), null);
        else loop.defer(() -> p.publish(topic, op, ByteBuffer.wrap(payload), null));
    }

    /** Subscribers of {@code topic} (exact topics) over all loops. Any thread. */
    public int numSubscribers(String topic) {
        if (appTopics != null) return appTopics.numSubscribers(topic);
        PubSub p = pubSubs[0];
        return onLoopGet(p, () -> p.topics.numSubscribers(topic));
    }

    /**
     * Publish counters summed over the loops: messages published, deliveries made, deliveries dropped
     * for slow clients (not counting what a backplane dropped; see {@link #stats()}).
     */
    public long[] pubSubCounters() {
        long[] sum = sumCounters();
        return new long[] {sum[5], sum[6], sum[7]};
    }

    /**
     * A snapshot of the app's counters, summed over its loops; any thread. (Called on one of the
     * app's loops, the other loops' counters are read as they are at that moment, without waiting.)
     */
    public AppStats stats() {
        long[] c = sumCounters();
        Backplane b = backplane;
        Backplane.Counters node = b == null ? Backplane.Counters.NONE : b.counters();
        return new AppStats(http.connectionCount(), c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7] + node.dropped(),
                c[8], c[9], c[10], node);
    }

    /** The one counter that is a maximum over the loops, not a sum. */
    private static final int LONGEST_PASS = 10;

    private long[] sumCounters() {
        boolean onOurLoop = pubSubs.length > 1 && pubSubHere() != null;
        long[] sum = null;
        for (PubSub p : pubSubs) {
            // Waiting for another loop from one of ours could deadlock with that loop doing the same.
            long[] c = onOurLoop ? p.counters() : onLoopGet(p, p::counters);
            if (sum == null) sum = c;
            else for (int i = 0; i < c.length; i++) sum[i] = i == LONGEST_PASS ? Math.max(sum[i], c[i]) : sum[i] + c[i];
        }
        return sum;
    }

    private void recordStats() {
        if (!http.loop().isRunning()) return;
        StatsEvent e = new StatsEvent();
        if (!e.isEnabled()) return;
        AppStats s = stats();
        e.port = http.port();
        e.httpConnections = s.httpConnections();
        e.webSockets = s.webSockets();
        e.messagesIn = s.messagesIn();
        e.messagesOut = s.messagesOut();
        e.bytesIn = s.bytesIn();
        e.bytesOut = s.bytesOut();
        e.published = s.published();
        e.deliveries = s.deliveries();
        e.fanOut = s.fanOut();
        e.dropped = s.dropped();
        e.loopIterations = s.loopIterations();
        e.loopBusyNanos = s.loopBusyNanos();
        e.loopLongestIterationNanos = s.loopLongestIterationNanos();
        Backplane.Counters node = s.backplane();
        e.clustered = backplane != null;
        e.relayed = node.relayed();
        e.unrelayed = node.unrelayed();
        e.relayDropped = node.dropped();
        e.relaySkipped = node.skipped();
        e.receivedFromNodes = node.received();
        e.commit();
    }

    /** Graceful shutdown of every loop (WebSockets get 1001); blocks until done. */
    @Override
    public void close() {
        jdk.jfr.FlightRecorder.removePeriodicEvent(statsHook);
        http.close();
        if (backplane != null) backplane.close();
    }

    private static <T> T onLoopGet(PubSub p, java.util.function.Supplier<T> s) {
        Loop loop = p.loop;
        if (loop.isOnLoopThread() || !loop.isRunning()) return s.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loop.defer(() -> f.complete(s.get()));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return s.get(); // closed: nothing changes any more
        }
        try {
            return f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return s.get(); // the loop is stuck or closing: read what is there rather than hang
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return s.get();
        }
    }
}

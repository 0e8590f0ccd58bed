package dev.gust.websocket;

import dev.gust.http.HttpHandler;
import dev.gust.http.HttpServer;
import dev.gust.http.HttpServerOptions;
import dev.gust.loop.Loop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 */
public final class App implements AutoCloseable {
    private final HttpServer http;
    private final PubSub pubSub;
    private long maxWebSocketBuffer;
    private JsonCodec json = JsonCodec.simple();
    private final Runnable statsHook = this::recordStats;

    private App(HttpServerOptions options, boolean wildcards) {
        this.http = HttpServer.create(options);
        this.pubSub = new PubSub(wildcards);
        this.maxWebSocketBuffer = options.maxBufferedBytes();
    }

    /** An app with default options and exact-match topics. */
    public static App create() {
        return create(HttpServerOptions.defaults(), false);
    }

    /**
     * An app with the given HTTP options; {@code wildcardTopics} enables MQTT-style subscriptions
     * ({@code +} one level, {@code #} the rest, levels separated by {@code /}).
     */
    public static App create(HttpServerOptions options, boolean wildcardTopics) {
        return new App(options, wildcardTopics);
    }

    /** The JSON encoder used by {@link WebSocket#sendJson} (default: {@link JsonCodec#simple()}). */
    public App json(JsonCodec codec) {
        this.json = codec;
        return this;
    }

    JsonCodec json() {
        return json;
    }

    PubSub pubSub() {
        return pubSub;
    }

    /** The underlying HTTP server (for routes and options not mirrored here). */
    public HttpServer http() {
        return http;
    }

    public Loop loop() {
        return http.loop();
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
        if (http.loop().isRunning()) throw new IllegalStateException("set the backplane before listen()");
        pubSub.backplane = backplane;
        return this;
    }

    /** Listens on all interfaces; see {@link #listen(String, int)}. */
    public App listen(int port) {
        return listen("0.0.0.0", port);
    }

    /** Listens on {@code host:port} (0 picks a port, see {@link #port()}) and starts the loop. */
    public App listen(String host, int port) {
        http.raiseMaxBufferedBytes(maxWebSocketBuffer);
        if (pubSub.backplane != null) {
            Loop loop = http.loop();
            // Messages from other nodes: delivered here only, on the loop, never relayed again.
            pubSub.backplane.start((topic, text, payload) -> loop.defer(
                    () -> pubSub.deliver(topic, text ? OpCode.TEXT : OpCode.BINARY, ByteBuffer.wrap(payload), null)));
        }
        http.listen(host, port);
        jdk.jfr.FlightRecorder.addPeriodicEvent(StatsEvent.class, statsHook);
        return this;
    }

    public int port() {
        return http.port();
    }

    /**
     * Publishes a text message to every subscriber of {@code topic}; callable from any thread. The
     * message is framed once for all subscribers, and compressed at most once for all that use
     * permessage-deflate without context takeover ({@link Compression#SHARED}); subscribers with
     * context takeover ({@link Compression#DEDICATED}) each compress it with their own window.
     */
    public void publish(String topic, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        onLoop(() -> pubSub.publish(topic, OpCode.TEXT, ByteBuffer.wrap(bytes), null));
    }

    /**
     * Publishes a received message on as-is (text or binary) to every subscriber of {@code topic},
     * the sender included. Loop thread (inside a callback): framed once, no copy of the payload
     * before framing.
     */
    public int publish(String topic, WebSocketMessage message) {
        http.loop().checkThread("App.publish(topic, WebSocketMessage)");
        return pubSub.publish(topic, message.isText() ? OpCode.TEXT : OpCode.BINARY, message.rewound(), null);
    }

    /** Publishes a binary message (copied) to every subscriber of {@code topic}; any thread. */
    public void publishBinary(String topic, byte[] data) {
        byte[] copy = data.clone();
        onLoop(() -> pubSub.publish(topic, OpCode.BINARY, ByteBuffer.wrap(copy), null));
    }

    /** Subscribers of {@code topic} (exact topics). Any thread. */
    public int numSubscribers(String topic) {
        return onLoopGet(() -> pubSub.topics.numSubscribers(topic));
    }

    /** Publish counters: messages published, deliveries made, deliveries dropped for slow clients. */
    public long[] pubSubCounters() {
        return onLoopGet(() -> new long[] {pubSub.published, pubSub.deliveries, pubSub.dropped});
    }

    /** A snapshot of the app's counters; any thread. */
    public AppStats stats() {
        return onLoopGet(() -> new AppStats(http.connectionCount(), pubSub.webSockets, pubSub.messagesIn,
                pubSub.messagesOut, pubSub.bytesIn, pubSub.published, pubSub.deliveries, pubSub.dropped,
                http.loop().iteration(), http.loop().busyNanos()));
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
        e.published = s.published();
        e.deliveries = s.deliveries();
        e.dropped = s.dropped();
        e.loopIterations = s.loopIterations();
        e.loopBusyNanos = s.loopBusyNanos();
        e.commit();
    }

    /** Graceful shutdown; blocks until done. */
    @Override
    public void close() {
        jdk.jfr.FlightRecorder.removePeriodicEvent(statsHook);
        http.close();
        if (pubSub.backplane != null) pubSub.backplane.close();
    }

    private void onLoop(Runnable r) {
        Loop loop = http.loop();
        if (loop.isOnLoopThread() || !loop.isRunning()) r.run();
        else loop.defer(r);
    }

    private <T> T onLoopGet(java.util.function.Supplier<T> s) {
        Loop loop = http.loop();
        if (loop.isOnLoopThread() || !loop.isRunning()) return s.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.defer(() -> f.complete(s.get()));
        return f.join();
    }
}

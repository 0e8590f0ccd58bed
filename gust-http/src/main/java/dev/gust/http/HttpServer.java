package dev.gust.http;

import dev.gust.http.route.Router;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.SocketOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on Gust loops: routing with {@code :param} and {@code *}, keep-alive,
 * pipelining, chunked bodies both ways, limits and timeouts, graceful shutdown.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create()
 *     .get("/hello/:name", (req, res) -> res.end("Hello, " + req.param("name")))    // on the loop
 *     .postBlocking("/upload", (req, res) -> {                                       // virtual thread
 *         long n = req.body().transferTo(OutputStream.nullOutputStream());
 *         res.end("got " + n + " bytes");
 *     })
 *     .listen(8080);
 * // ...
 * server.close(); // stop accepting, finish in-flight requests, close idle connections
 * }</pre>
 *
 * <p>Loop handlers run on the loop thread and must not block; blocking handlers
 * ({@code getBlocking}, {@code postBlocking}, ...) run each request on its own virtual thread.
 * Routes are registered before {@link #listen}.
 *
 * <h2>Many loops</h2>
 * By default a server runs on ONE loop thread, like one uWebSockets app per thread: the cheapest
 * setup, and the one the benchmarks compare. Ask for more with
 * {@link HttpServerOptions#withLoops(int)}, or bring a running {@link LoopGroup}:
 * <pre>{@code
 * HttpServer server = HttpServer.create(HttpServerOptions.defaults().withLoops(4))
 *     .get("/", (req, res) -> res.end(Thread.currentThread().getName()))
 *     .listen(8080);                       // every loop listens on 8080 (SO_REUSEPORT)
 * server.loops();                          // the four loops; server.loop() is the first
 * }</pre>
 * Every loop has its own listener, connections and response head writer; a connection stays on
 * the loop that accepted it, so its handlers always run on that loop's thread. The router is
 * shared, read-only once listening; the executor of blocking handlers is shared. {@link #close()}
 * shuts every loop's connections down gracefully.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.gust.http");

    /** What a route leads to: a handler (loop or blocking) and/or an upgrade handler (GET only). */
    record Route(HttpHandler handler, boolean blocking, HttpHandler upgradeHandler) {}

    private final HttpServerOptions options;
    private final LoopGroup group;
    private final boolean ownsLoops;
    private final List<ServerLoop> perLoop; // in the group's loop order
    private final Router<Route> router = new Router<>();
    private final Map<String, Route> getRoutes = new HashMap<>();
    private final List<ListenSocket> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("gust-http-", 0).factory());
    private final java.util.concurrent.atomic.AtomicBoolean shutdownStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean closed; // guarded by this
    private volatile boolean listening; // routes and settings are frozen from the first listen on
    private volatile boolean closing;
    private long maxBufferedBytes;
    private dev.gust.loop.TlsOptions tls;

    private HttpServer(LoopGroup group, boolean ownsLoops, HttpServerOptions options) {
        this.group = group;
        this.ownsLoops = ownsLoops;
        this.options = options;
        this.maxBufferedBytes = options.maxBufferedBytes();
        List<ServerLoop> parts = new ArrayList<>(group.size());
        for (Loop l : group.loops()) parts.add(new ServerLoop(this, l));
        this.perLoop = List.copyOf(parts);
    }

    /** A server with default options on a loop of its own (started by {@link #listen}). */
    public static HttpServer create() {
        return create(HttpServerOptions.defaults());
    }

    /**
     * A server with the given options on loops of its own ({@link HttpServerOptions#loops()} of
     * them, one by default), started by {@link #listen} and closed by {@link #close()}.
     */
    public static HttpServer create(HttpServerOptions options) {
        // One loop keeps the loop's plain name, as before there were groups.
        LoopGroup group = options.loops() == 1 ? LoopGroup.of(List.of(Loop.create())) : LoopGroup.create(options.loops());
        return new HttpServer(group, true, options);
    }

    /** A server on an existing loop (which you run); {@link #close()} leaves the loop open. */
    public static HttpServer create(Loop loop, HttpServerOptions options) {
        return new HttpServer(LoopGroup.of(List.of(loop)), false, options);
    }

    /**
     * A server on every loop of an existing group (which you start and close; {@link #close()}
     * leaves the loops open). {@link HttpServerOptions#loops()} is ignored: the group decides.
     *
     * <pre>{@code
     * LoopGroup group = LoopGroup.create(4).start();
     * HttpServer server = HttpServer.create(group, HttpServerOptions.defaults())
     *     .get("/", (req, res) -> res.end("hi")).listen(8080);
     * }</pre>
     */
    public static HttpServer create(LoopGroup group, HttpServerOptions options) {
        return new HttpServer(group, false, options);
    }

    public HttpServerOptions options() {
        return options;
    }

    /**
     * Serves HTTPS (and WSS) with these settings; call before {@link #listen}.
     *
     * <pre>{@code
     * server.tls(TlsOptions.server(sslContext)).listen(8443);
     * }</pre>
     */
    public HttpServer tls(dev.gust.loop.TlsOptions tls) {
        if (listening) throw new IllegalStateException("tls must be set before listen");
        if (tls != null && tls.client()) throw new IllegalArgumentException("server TLS options needed");
        this.tls = tls;
        return this;
    }

    /** The first loop (the only one unless the server runs on many). */
    public Loop loop() {
        return group.loop(0);
    }

    /** Every loop the server runs on, in order. */
    public List<Loop> loops() {
        return group.loops();
    }

    /** The loops the server runs on, as a group (for {@link LoopGroup#next()}, {@link LoopGroup#onEach}...). */
    public LoopGroup group() {
        return group;
    }

    // ------------------------------------------------------------------ routes

    /** Routes {@code method pattern} to a handler that runs on the loop. */
    public HttpServer route(HttpMethod method, String pattern, HttpHandler handler) {
        return add(method, pattern, handler, false);
    }

    /** Routes {@code method pattern} to a handler that runs on a virtual thread and may block. */
    public HttpServer routeBlocking(HttpMethod method, String pattern, HttpHandler handler) {
        return add(method, pattern, handler, true);
    }

    public HttpServer get(String pattern, HttpHandler h) {
        return add(HttpMethod.GET, pattern, h, false);
    }

    public HttpServer post(String pattern, HttpHandler h) {
        return add(HttpMethod.POST, pattern, h, false);
    }

    public HttpServer put(String pattern, HttpHandler h) {
        return add(HttpMethod.PUT, pattern, h, false);
    }

    public HttpServer delete(String pattern, HttpHandler h) {
        return add(HttpMethod.DELETE, pattern, h, false);
    }

    public HttpServer patch(String pattern, HttpHandler h) {
        return add(HttpMethod.PATCH, pattern, h, false);
    }

    /** A loop handler for every method not routed explicitly at this pattern. */
    public HttpServer any(String pattern, HttpHandler h) {
        return add(null, pattern, h, false);
    }

    public HttpServer getBlocking(String pattern, HttpHandler h) {
        return add(HttpMethod.GET, pattern, h, true);
    }

    public HttpServer postBlocking(String pattern, HttpHandler h) {
        return add(HttpMethod.POST, pattern, h, true);
    }

    public HttpServer putBlocking(String pattern, HttpHandler h) {
        return add(HttpMethod.PUT, pattern, h, true);
    }

    /** A blocking handler for every method not routed explicitly at this pattern. */
    public HttpServer anyBlocking(String pattern, HttpHandler h) {
        return add(null, pattern, h, true);
    }

    /**
     * Routes upgrade requests ({@code GET} with {@code Connection: upgrade}) at {@code pattern} to
     * {@code handler}, on the loop. The handler either takes the connection over with
     * {@link HttpResponse#takeOver} or answers with a normal response. A plain GET at the same
     * pattern still goes to the {@link #get} handler, if any (else 426).
     */
    public HttpServer upgrade(String pattern, HttpHandler handler) {
        checkNotListening();
        Route existing = getRoutes.get(pattern);
        Route route = new Route(existing == null ? null : existing.handler(), existing != null && existing.blocking(), handler);
        getRoutes.put(pattern, route);
        router.add(HttpMethod.GET, pattern, route);
        return this;
    }

    /** Serves files under {@code directory} at {@code pattern} (which must end in {@code *}), on virtual threads. */
    public HttpServer staticFiles(String pattern, java.nio.file.Path directory) {
        return getBlocking(pattern, new StaticFiles(directory));
    }

    private HttpServer add(HttpMethod method, String pattern, HttpHandler handler, boolean isBlocking) {
        checkNotListening();
        if (method == HttpMethod.GET) {
            Route existing = getRoutes.get(pattern);
            Route route = new Route(handler, isBlocking, existing == null ? null : existing.upgradeHandler());
            getRoutes.put(pattern, route);
            router.add(HttpMethod.GET, pattern, route);
            if (existing == null || existing.handler() == null) router.add(HttpMethod.HEAD, pattern, route);
        } else if (method == null) {
            router.any(pattern, new Route(handler, isBlocking, null));
        } else {
            router.add(method, pattern, new Route(handler, isBlocking, null));
        }
        return this;
    }

    private void checkNotListening() {
        if (listening) throw new IllegalStateException("routes must be added before listen()");
    }

    Router<Route> router() {
        return router;
    }

    // ------------------------------------------------------------------ listening

    /**
     * Raises the per-connection limit of buffered response bytes to at least {@code bytes} (layers
     * on top, like WebSocket, need room for a whole message plus their own backpressure budget).
     */
    public void raiseMaxBufferedBytes(long bytes) {
        checkNotListening();
        maxBufferedBytes = Math.max(maxBufferedBytes, bytes);
    }

    /** Listens on 0.0.0.0:{@code port}; see {@link #listen(String, int)}. */
    public HttpServer listen(int port) {
        return listen("0.0.0.0", port);
    }

    /**
     * Listens on {@code host:port} on every loop (port 0 picks one port that all loops share; see
     * {@link #port()}) and, when the server owns its loops, starts them, each on its own thread.
     * Callable again for another address.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public HttpServer listen(String host, int port) {
        listening = true;
        SocketOptions socketOptions = SocketOptions.defaults().withMaxBufferedBytes(maxBufferedBytes).withTls(tls);
        List<ListenSocket> bound = group.listen(host, port, loop -> partOn(loop).context(socketOptions));
        for (int i = 0; i < bound.size(); i++) perLoop.get(i).listening(bound.get(i));
        listeners.addAll(bound);
        if (ownsLoops) group.start();
        return this;
    }

    private ServerLoop partOn(Loop loop) {
        for (ServerLoop part : perLoop) if (part.loop == loop) return part;
        throw new IllegalArgumentException(loop + " is not a loop of this server");
    }

    /** The port of the first listener. */
    public int port() {
        return listeners.getFirst().port();
    }

    /** Addresses listened on (one per {@link #listen} call; every loop shares them). */
    public List<InetSocketAddress> addresses() {
        return listeners.stream().map(ListenSocket::localAddress).distinct().toList();
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Graceful shutdown on every loop: stops accepting, closes idle connections, lets in-flight
     * requests finish (up to {@link HttpServerOptions#shutdownGrace()}), tells upgraded connections
     * to say goodbye, then closes whatever is left and, if the server owns its loops, the loops.
     * Blocks until done (called on one of the server's loops, it starts the shutdown and returns).
     */
    @Override
    public void close() {
        if (shutdownStarted.compareAndSet(false, true)) {
            closing = true;
            for (ServerLoop part : perLoop) part.loop.runOnLoop(part::beginShutdown);
        }
        if (group.current() != null) return; // on one of our loops: the timers and close callbacks finish it
        CompletableFuture<?>[] drained = perLoop.stream().filter(p -> p.loop.isRunning())
                .map(p -> p.drained).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drained).get(options.shutdownGrace().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "graceful shutdown did not finish in time; forcing", e);
        }
        finishClose();
    }

    private synchronized void finishClose() {
        if (closed) return;
        closed = true;
        blocking.shutdown();
        if (ownsLoops) {
            group.close();
        } else {
            for (ServerLoop part : perLoop) if (part.loop.isRunning()) part.loop.runOnLoop(part::closeContext);
        }
    }

    /** Number of open connections (HTTP and upgraded) over all loops. Any thread. */
    public int connectionCount() {
        int n = 0;
        for (ServerLoop part : perLoop) n += part.connectionCount();
        return n;
    }

    ExecutorService blockingExecutor() {
        return blocking;
    }

    boolean isClosing() {
        return closing;
    }
}

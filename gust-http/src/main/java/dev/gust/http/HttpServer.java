package dev.gust.http;

import dev.gust.http.response.DateHeader;
import dev.gust.http.response.ResponseHeadWriter;
import dev.gust.http.route.Router;
import dev.gust.loop.ListenOptions;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import dev.gust.loop.SocketOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on a Gust loop: routing with {@code :param} and {@code *}, keep-alive,
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
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.gust.http");

    /** What a route leads to: a handler (loop or blocking) and/or an upgrade handler (GET only). */
    record Route(HttpHandler handler, boolean blocking, HttpHandler upgradeHandler) {}

    private final HttpServerOptions options;
    private final Loop loop;
    private final boolean ownsLoop;
    private final Router<Route> router = new Router<>();
    private final Map<String, Route> getRoutes = new HashMap<>();
    private final ResponseHeadWriter headWriter = new ResponseHeadWriter(new DateHeader());
    private final LinkedHashSet<HttpConnection> connections = new LinkedHashSet<>();
    private final List<ListenSocket> listeners = new ArrayList<>();
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("gust-http-", 0).factory());
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private SocketContext<HttpServer, HttpConnection> context;
    private volatile boolean closing;
    private long maxBufferedBytes;
    private dev.gust.loop.TlsOptions tls;

    private HttpServer(Loop loop, boolean ownsLoop, HttpServerOptions options) {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.options = options;
        this.maxBufferedBytes = options.maxBufferedBytes();
    }

    /** A server with default options on a loop of its own (started by {@link #listen}). */
    public static HttpServer create() {
        return create(HttpServerOptions.defaults());
    }

    /** A server with the given options on a loop of its own. */
    public static HttpServer create(HttpServerOptions options) {
        return new HttpServer(Loop.create(), true, options);
    }

    /** A server on an existing loop (which you run); {@link #close()} leaves the loop open. */
    public static HttpServer create(Loop loop, HttpServerOptions options) {
        return new HttpServer(loop, false, options);
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
        if (context != null) throw new IllegalStateException("tls must be set before listen");
        if (tls != null && tls.client()) throw new IllegalArgumentException("server TLS options needed");
        this.tls = tls;
        return this;
    }

    public Loop loop() {
        return loop;
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
        if (context != null) throw new IllegalStateException("routes must be added before listen()");
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
     * Listens on {@code host:port} (port 0 picks one; see {@link #port()}) and, when the server owns
     * its loop, starts it on a new thread.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public HttpServer listen(String host, int port) {
        if (ownsLoop && !loop.isRunning()) {
            doListen(host, port);
            loop.start();
        } else if (loop.isRunning() && !loop.isOnLoopThread()) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.defer(() -> {
                try {
                    doListen(host, port);
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw e;
            }
        } else {
            doListen(host, port);
        }
        return this;
    }

    private void doListen(String host, int port) {
        if (context == null) {
            context = SocketContext.create(loop, this, new Handler(),
                    SocketOptions.defaults().withMaxBufferedBytes(maxBufferedBytes).withTls(tls));
        }
        listeners.add(context.listen(host, port, ListenOptions.defaults()));
    }

    /** The port of the first listener. */
    public int port() {
        return listeners.getFirst().port();
    }

    /** Addresses of all listeners. */
    public List<InetSocketAddress> addresses() {
        return listeners.stream().map(ListenSocket::localAddress).toList();
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Graceful shutdown: stops accepting, closes idle connections, lets in-flight requests finish
     * (up to {@link HttpServerOptions#shutdownGrace()}), tells upgraded connections to say goodbye,
     * then closes whatever is left and, if the server owns its loop, the loop. Blocks until done.
     */
    @Override
    public void close() {
        if (closing) {
            if (!loop.isOnLoopThread()) drained.join();
            return;
        }
        closing = true;
        if (!loop.isRunning()) {
            loop.runOnLoop(this::beginShutdown);
            finishClose();
            return;
        }
        loop.runOnLoop(this::beginShutdown);
        if (loop.isOnLoopThread()) return; // the timers and close callbacks finish it
        try {
            drained.get(options.shutdownGrace().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "graceful shutdown did not finish in time; forcing", e);
        }
        finishClose();
    }

    private void beginShutdown() {
        for (ListenSocket l : listeners) l.close();
        for (HttpConnection c : new ArrayList<>(connections)) c.shutdownGracefully();
        if (connections.isEmpty()) {
            drained.complete(null);
            return;
        }
        if (loop.isRunning()) {
            loop.setTimeout(options.shutdownGrace(), () -> {
                for (HttpConnection c : new ArrayList<>(connections)) c.socket.close();
                drained.complete(null);
            });
        }
    }

    private void finishClose() {
        blocking.shutdown();
        if (ownsLoop) loop.close();
        else if (context != null && loop.isRunning()) loop.runOnLoop(() -> context.close());
        drained.complete(null);
    }

    /** Number of open connections (HTTP and upgraded). Loop thread. */
    public int connectionCount() {
        return connections.size();
    }

    void connectionClosed(HttpConnection c) {
        connections.remove(c);
        if (closing && connections.isEmpty()) drained.complete(null);
    }

    void connectionUpgraded(HttpConnection c) {
        // upgraded connections stay tracked so graceful shutdown reaches them
    }

    ResponseHeadWriter headWriter() {
        return headWriter;
    }

    ExecutorService blockingExecutor() {
        return blocking;
    }

    boolean isClosing() {
        return closing;
    }

    /** Socket events of every connection, dispatched to its {@link HttpConnection}. */
    private final class Handler implements SocketHandler<HttpConnection> {
        @Override
        public void onOpen(Socket<HttpConnection> s, boolean isClient, InetSocketAddress remote) {
            HttpConnection c = new HttpConnection(HttpServer.this, s);
            s.state(c);
            connections.add(c);
            s.timeout(options.idleTimeout());
            if (closing) c.shutdownGracefully();
        }

        @Override
        public void onData(Socket<HttpConnection> s, ByteBuffer data) {
            s.state().onSocketData(data);
        }

        @Override
        public void onWritable(Socket<HttpConnection> s) {
            s.state().onSocketWritable();
        }

        @Override
        public void onEnd(Socket<HttpConnection> s) {
            s.state().onPeerEnd();
        }

        @Override
        public void onClose(Socket<HttpConnection> s, int code) {
            HttpConnection c = s.state();
            if (c != null) c.onSocketClose(code);
        }

        @Override
        public void onTimeout(Socket<HttpConnection> s) {
            s.state().onSocketTimeout();
        }

        @Override
        public void onLongTimeout(Socket<HttpConnection> s) {
            s.state().onSocketLongTimeout();
        }
    }
}

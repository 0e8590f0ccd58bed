package dev.gust.websocket;

import dev.gust.loop.ConnectOptions;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import dev.gust.loop.SocketOptions;
import dev.gust.loop.TlsOptions;
import dev.gust.websocket.deflate.ClientNegotiation;
import dev.gust.websocket.handshake.ClientHandshake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A WebSocket client for {@code ws://} and {@code wss://} URIs, on a loop shared with servers or
 * on its own, in callback style ({@link #connect}) or blocking style on a virtual thread
 * ({@link #connectBlocking}).
 *
 * <pre>{@code
 * // Callback style, on the same loop as an App:
 * WebSocketClient client = WebSocketClient.on(app.loop());
 * client.connect(URI.create("wss://example.com/feed"), ClientOptions.defaults().compression(true),
 *     new ClientListener() {
 *         public void onMessage(ClientWebSocket ws, WebSocketMessage msg) { System.out.println(msg.text()); }
 *     });
 *
 * // Blocking style, on a virtual thread, with a loop of its own:
 * try (var client = WebSocketClient.create();
 *      var ws = client.connectBlocking(URI.create("ws://127.0.0.1:9001/echo"), ClientOptions.defaults())) {
 *     ws.send("hello");
 *     System.out.println(ws.receive().text());
 * }
 * }</pre>
 *
 * <p>What it does: custom headers and subprotocols, permessage-deflate (RFC 7692), a fresh
 * SecureRandom masking key per frame ({@link dev.gust.websocket.frame.MaskKeys}), connect and
 * handshake timeouts, automatic pongs, the closing handshake both ways, and the server side's
 * {@link SendResult} backpressure reporting. It checks the 101: status, {@code Upgrade},
 * {@code Connection}, {@code Sec-WebSocket-Accept}, a subprotocol and extensions it offered
 * (anything else fails the connect). Out of scope: redirects (a 3xx fails the connect) and
 * proxies (it always connects straight to the URI's host). Host names other than address
 * literals are resolved on a virtual thread, never on the loop.
 */
public final class WebSocketClient implements AutoCloseable {
    private final Loop loop;
    private final boolean ownsLoop;
    // One socket context per (TLS settings, write-buffer limit); plain TCP uses a null TLS key.
    private final Map<ContextKey, SocketContext<WebSocketClient, ClientConnection>> contexts = new HashMap<>();

    private record ContextKey(TlsOptions tls, long maxBufferedBytes) {}

    private WebSocketClient(Loop loop, boolean ownsLoop) {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
    }

    /** A client with a loop of its own, started now; {@link #close()} closes it. */
    public static WebSocketClient create() {
        return new WebSocketClient(Loop.create().start(), true);
    }

    /** A client on {@code loop} (for example a server's), which must be running for connects to progress. */
    public static WebSocketClient on(Loop loop) {
        return new WebSocketClient(loop, false);
    }

    public Loop loop() {
        return loop;
    }

    /** Connects with default options; see {@link #connect(URI, ClientOptions, ClientListener)}. */
    public CompletableFuture<ClientWebSocket> connect(URI uri, ClientListener listener) {
        return connect(uri, ClientOptions.defaults(), listener);
    }

    /**
     * Starts connecting; any thread. The future (and {@link ClientListener#onOpen}) completes on
     * the loop once the handshake is done; on failure it completes exceptionally and
     * {@link ClientListener#onError} runs.
     *
     * @throws IllegalArgumentException for a URI that is not {@code ws://} or {@code wss://}, or a
     *         header the handshake sets itself
     */
    public CompletableFuture<ClientWebSocket> connect(URI uri, ClientOptions options, ClientListener listener) {
        Target target = Target.of(uri);
        ClientOptions o = options.copy();
        String offer = o.compression ? ClientNegotiation.offer(o.compressionNoContextTakeover, o.compressionNoContextTakeover) : null;
        ClientHandshake handshake = new ClientHandshake(target.hostHeader(), target.path(), o.subprotocols, o.headers, offer);
        CompletableFuture<ClientWebSocket> opened = new CompletableFuture<>();
        ClientConnection conn = new ClientConnection(o, listener, opened, handshake);
        if (isLiteral(target.host())) {
            loop.runOnLoop(() -> start(conn, target, target.host(), o));
        } else {
            Thread.ofVirtual().name("gust-ws-resolve").start(() -> {
                try {
                    String address = InetAddress.getByName(target.host()).getHostAddress();
                    loop.runOnLoop(() -> start(conn, target, address, o));
                } catch (IOException e) {
                    loop.runOnLoop(() -> conn.connectFailed(e));
                }
            });
        }
        return opened;
    }

    /**
     * Connects and waits for the handshake (call it on a virtual thread).
     *
     * @throws IOException when connecting fails (including {@link java.net.SocketTimeoutException})
     */
    public BlockingClientWebSocket connectBlocking(URI uri, ClientOptions options) throws IOException, InterruptedException {
        BlockingClient blocking = new BlockingClient();
        try {
            connect(uri, options, blocking).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
        return blocking;
    }

    private void start(ClientConnection conn, Target target, String address, ClientOptions o) {
        SocketContext<WebSocketClient, ClientConnection> ctx;
        try {
            ctx = context(target.secure(), o);
        } catch (NoSuchAlgorithmException e) {
            conn.connectFailed(new IOException("no default SSLContext", e));
            return;
        }
        ConnectOptions co = ConnectOptions.defaults().withTimeout(o.connectTimeout).withServerName(target.host());
        conn.attach(ctx.connect(address, target.port(), null, co));
    }

    private SocketContext<WebSocketClient, ClientConnection> context(boolean secure, ClientOptions o) throws NoSuchAlgorithmException {
        // Enough for a whole message plus the backpressure allowance before the loop's hard limit.
        long limit = o.maxBackpressure + o.maxPayloadLength + (64 << 10);
        TlsOptions t = !secure ? null
                : TlsOptions.client(o.sslContext != null ? o.sslContext : javax.net.ssl.SSLContext.getDefault()).withVerifyHost(o.verifyHost);
        return contexts.computeIfAbsent(new ContextKey(t, limit), k -> SocketContext.create(loop, this, HANDLER,
                SocketOptions.defaults().withMaxBufferedBytes(k.maxBufferedBytes()).withTls(k.tls())));
    }

    private static boolean isLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Closes the client's own loop (and every connection on it); on a shared loop, its connections. */
    @Override
    public void close() {
        if (ownsLoop) {
            loop.close();
            return;
        }
        if (!loop.isRunning()) return;
        loop.runOnLoop(() -> contexts.values().forEach(SocketContext::close));
    }

    /** Where a URI points. */
    record Target(boolean secure, String host, int port, String path, String hostHeader) {
        static Target of(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
            if (uri.getHost() == null) throw new IllegalArgumentException("no host in " + uri);
            if (uri.getRawFragment() != null) throw new IllegalArgumentException("WebSocket URIs have no fragment: " + uri);
            boolean secure = scheme.equals("wss");
            String host = uri.getHost();
            if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
            int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
            String hostHeader = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
            return new Target(secure, host, port, path, hostHeader);
        }
    }

    /** Routes socket events to the connection they belong to. */
    private static final SocketHandler<ClientConnection> HANDLER = new SocketHandler<>() {
        @Override
        public void onOpen(Socket<ClientConnection> s, boolean isClient, InetSocketAddress remote) {
            s.state().connected();
        }

        @Override
        public void onData(Socket<ClientConnection> s, ByteBuffer data) {
            s.state().onData(data);
        }

        @Override
        public void onWritable(Socket<ClientConnection> s) {
            s.state().onWritable();
        }

        @Override
        public void onEnd(Socket<ClientConnection> s) {
            s.state().onEnd();
        }

        @Override
        public void onClose(Socket<ClientConnection> s, int code) {
            s.state().socketClosed();
        }

        @Override
        public void onConnectError(Socket<ClientConnection> s, IOException error) {
            s.state().connectFailed(error);
        }
    };
}

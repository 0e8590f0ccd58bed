package dev.gust.loop;

import dev.gust.loop.spi.IoHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A group of sockets on one {@link Loop} that share a {@link SocketHandler}, options (TLS, write
 * buffer limit) and a typed context state {@code C}; each socket carries its own state {@code S}.
 *
 * <pre>{@code
 * Loop loop = Loop.create();
 * var ctx = SocketContext.create(loop, "echo", new SocketHandler<Void>() {
 *     public void onData(Socket<Void> s, ByteBuffer data) { s.write(data); }
 * });
 * ListenSocket listener = ctx.listen("127.0.0.1", 9000);
 * loop.run();
 * }</pre>
 *
 * @param <C> the per-context state type
 * @param <S> the per-socket state type
 */
public final class SocketContext<C, S> {
    private final Loop loop;
    private final C state;
    private final SocketHandler<S> handler;
    private final SocketOptions options;
    private final TlsFactory tlsFactory;
    private volatile boolean closed; // read by other loops handing sockets over

    private SocketContext(Loop loop, C state, SocketHandler<S> handler, SocketOptions options) {
        this.loop = loop;
        this.state = state;
        this.handler = handler;
        this.options = options;
        this.tlsFactory = options.tls() == null ? null : new TlsFactory(options.tls());
    }

    /** A plain TCP context with {@link SocketOptions#defaults()}. */
    public static <C, S> SocketContext<C, S> create(Loop loop, C state, SocketHandler<S> handler) {
        return create(loop, state, handler, SocketOptions.defaults());
    }

    /** A context with the given options (TLS when {@code options.tls()} is set). */
    public static <C, S> SocketContext<C, S> create(Loop loop, C state, SocketHandler<S> handler,
                                                    SocketOptions options) {
        if (handler == null) throw new IllegalArgumentException("handler is required");
        return new SocketContext<>(loop, state, handler, options);
    }

    public Loop loop() {
        return loop;
    }

    /** The per-context state. */
    public C state() {
        return state;
    }

    public SocketHandler<S> handler() {
        return handler;
    }

    public SocketOptions options() {
        return options;
    }

    TlsFactory tlsFactory() {
        return tlsFactory;
    }

    /** Listens on {@code host:port} (port 0 picks a free one) with {@link ListenOptions#defaults()}. */
    public ListenSocket listen(String host, int port) {
        return listen(host, port, ListenOptions.defaults());
    }

    /**
     * Listens on {@code host:port}; accepted sockets get this context's handler.
     *
     * @throws UncheckedIOException when the address cannot be bound (in use, not local)
     */
    public ListenSocket listen(String host, int port, ListenOptions listenOptions) {
        loop.checkThread("SocketContext.listen");
        checkOpen();
        InetSocketAddress address = resolve(host, port);
        ListenSocket listener = new ListenSocket(this);
        try {
            IoHandle h = loop.poller().listen(address, listenOptions.backlog(), listenOptions.reusePort(),
                    listenOptions.exclusive(), listener);
            listener.opened(h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return listener;
    }

    /** Connects to {@code host:port}; see {@link #connect(String, int, String, ConnectOptions)}. */
    public Socket<S> connect(String host, int port) {
        return connect(host, port, null, ConnectOptions.defaults());
    }

    /**
     * Starts connecting to {@code host:port} from {@code sourceHost} (null: any). The handler's
     * {@code onOpen} (with {@code isClient == true}) or {@code onConnectError} follows. The host is
     * resolved on the calling thread: pass an address literal on the loop thread.
     */
    public Socket<S> connect(String host, int port, String sourceHost, ConnectOptions connectOptions) {
        loop.checkThread("SocketContext.connect");
        checkOpen();
        Socket<S> socket = new Socket<>(this, true);
        InetSocketAddress remote;
        try {
            remote = resolve(host, port);
        } catch (UncheckedIOException e) {
            loop.defer(() -> socket.notifyConnectError(e.getCause()));
            return socket;
        }
        InetSocketAddress source = sourceHost == null ? null : resolve(sourceHost, 0);
        try {
            IoHandle h = loop.poller().connect(remote, source, socket);
            String serverName = connectOptions.serverName() != null ? connectOptions.serverName() : host;
            Duration timeout = connectOptions.timeout();
            socket.connecting(h, timeout, serverName, port);
        } catch (IOException e) {
            loop.defer(() -> socket.notifyConnectError(e));
        }
        return socket;
    }

    /** Closes this context's listeners and sockets (close callbacks get {@link CloseCode#LOOP_CLOSED}). */
    public void close() {
        loop.checkThread("SocketContext.close");
        closed = true;
        loop.forEachResource(r -> {
            if (r instanceof Socket<?> s && s.context == this) s.closeForLoopShutdown();
            else if (r instanceof ListenSocket l && l.context == this) l.close();
        });
    }

    /** True after {@link #close()} (or when its loop is closed). Any thread. */
    public boolean isClosed() {
        return closed || loop.isClosed();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("socket context is closed");
        if (loop.isClosed()) throw new IllegalStateException("loop '" + loop.name() + "' is closed");
    }

    static InetSocketAddress resolve(String host, int port) {
        try {
            InetAddress a = host == null || host.isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(host);
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("unknown host: " + host, e);
        }
    }
}

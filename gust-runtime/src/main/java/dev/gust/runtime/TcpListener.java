package dev.gust.runtime;

import dev.gust.loop.ListenOptions;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketOptions;
import dev.gust.loop.TlsOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listening TCP (or TLS) socket with a blocking {@link #accept()}, meant for virtual threads. It
 * listens on every loop of its group (SO_REUSEPORT, so the kernel spreads connections over the
 * loops); the loops accept and queue connections, {@code accept()} parks until one is there.
 *
 * <pre>{@code
 * try (TcpListener listener = TcpListener.bind("127.0.0.1", 9000)) {
 *     while (true) {
 *         TcpStream s = listener.accept();
 *         Thread.ofVirtual().start(() -> echo(s));   // one virtual thread per connection
 *     }
 * }
 * }</pre>
 *
 * <p>At most {@link StreamOptions#backlog()} accepted connections wait for {@code accept()}; past
 * that, new ones are closed at once (bounded memory when the application stops accepting).
 */
public final class TcpListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.gust.runtime.TcpListener");

    private final StreamOptions options;
    private final LoopGroup group;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<TcpStream> queue = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private List<ListenSocket> listeners;

    private TcpListener(StreamOptions options, LoopGroup group) {
        this.options = options;
        this.group = group;
    }

    /** Listens on {@code host:port} (port 0 picks a free one) on the default loops. */
    public static TcpListener bind(String host, int port) throws IOException {
        return bind(host, port, StreamOptions.defaults());
    }

    /**
     * Listens on {@code host:port} with these options.
     *
     * @throws BindException when the address is in use or not local
     */
    public static TcpListener bind(String host, int port, StreamOptions options) throws IOException {
        return open(host, port, options, null);
    }

    /** Listens for TLS connections ({@code tls} a server configuration with a key, e.g. {@code TlsOptions.server(ctx)}). */
    public static TcpListener bindTls(String host, int port, TlsOptions tls) throws IOException {
        return bindTls(host, port, tls, StreamOptions.defaults());
    }

    /** {@link #bindTls(String, int, TlsOptions)} with these options. Accepted streams have finished their handshake. */
    public static TcpListener bindTls(String host, int port, TlsOptions tls, StreamOptions options) throws IOException {
        if (tls == null || tls.client()) throw new IllegalArgumentException("bindTls needs server TlsOptions");
        return open(host, port, options, tls);
    }

    private static TcpListener open(String host, int port, StreamOptions options, TlsOptions tls) throws IOException {
        LoopGroup group = options.loops();
        TcpStream.refuseLoopThread(group, "TcpListener.bind");
        TcpListener listener = new TcpListener(options, group);
        SocketOptions socketOptions = tls == null ? SocketOptions.defaults() : SocketOptions.defaults().withTls(tls);
        try {
            listener.listeners = group.listen(host, port, ListenOptions.defaults().withBacklog(options.backlog()),
                    loop -> SocketContext.create(loop, listener, StreamHandler.INSTANCE, socketOptions));
        } catch (UncheckedIOException e) {
            BindException b = new BindException(e.getMessage());
            b.initCause(e.getCause());
            throw b;
        }
        return listener;
    }

    StreamOptions options() {
        return options;
    }

    /** Loop thread: a connection was accepted (and its TLS handshake done). */
    void offer(TcpStream stream) {
        lock.lock();
        try {
            if (!closed && queue.size() < options.backlog()) {
                queue.add(stream);
                ready.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, "closing {0}: listener closed or {1} connections wait for accept()",
                stream, options.backlog());
        stream.close();
    }

    /** Waits for the next connection. */
    public TcpStream accept() throws IOException {
        return accept(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} (zero: forever) for the next connection.
     *
     * @throws SocketTimeoutException when none came in time
     * @throws SocketException when the listener is (or gets) closed
     */
    public TcpStream accept(Duration timeout) throws IOException {
        TcpStream.refuseLoopThread(group, "TcpListener.accept");
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) throw new SocketException("listener closed");
                TcpStream s = queue.poll();
                if (s != null) return s;
                if (nanos > 0) {
                    nanos = ready.awaitNanos(nanos);
                    if (nanos <= 0 && queue.isEmpty() && !closed) throw new SocketTimeoutException("Accept timed out");
                } else {
                    ready.await();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("accept interrupted");
        } finally {
            lock.unlock();
        }
    }

    /** The bound address (the chosen port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return listeners.getFirst().localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    /** Stops listening; waiting accepts fail, connections not yet accepted are closed. Idempotent. */
    @Override
    public void close() {
        ArrayDeque<TcpStream> unaccepted;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            ready.signalAll();
            unaccepted = new ArrayDeque<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (TcpStream s : unaccepted) s.close();
        for (int i = 0; i < listeners.size(); i++) {
            ListenSocket ls = listeners.get(i);
            var loop = group.loop(i);
            if (loop.isClosed()) continue;
            if (loop.isOnLoopThread()) ls.close();
            else {
                try {
                    loop.submit(ls::close).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing listener on loop " + loop.name(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TcpListener[" + localAddress() + "]";
    }
}

package dev.gust.runtime;

import dev.gust.loop.CloseCode;
import dev.gust.loop.ConnectOptions;
import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketOptions;
import dev.gust.loop.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A TCP connection (optionally TLS) with plain blocking calls, meant for virtual threads: a loop of
 * the {@link IoRuntime} does the I/O, the calling thread parks until the loop wakes it. There is no
 * thread per socket and no polling; platform threads may call it too.
 *
 * <pre>{@code
 * try (TcpStream stream = TcpStream.connect("127.0.0.1", 9000)) {
 *     stream.writeAll("ping".getBytes());
 *     byte[] buf = new byte[4];
 *     int n = stream.read(buf);              // parks this virtual thread until bytes arrive
 *     stream.shutdownOutput();               // the peer reads -1; we can still read its answer
 * }
 * }</pre>
 *
 * <p>Reading blocks until at least one byte is there, and returns -1 once the peer has shut down
 * its side and everything before was read. Writing copies into the stream's send buffer and returns;
 * it blocks only while that buffer is full (backpressure from a slow peer). Bytes received and not
 * read are bounded too: past {@link StreamOptions#receiveBuffer()} the loop stops reading the socket.
 *
 * <p>Errors: a refused connect is a {@link ConnectException}, timeouts are
 * {@link SocketTimeoutException}s, a reset by the peer or a call after {@link #close()} a
 * {@link SocketException}, a failed TLS handshake an {@link SSLException}. One reader and one writer
 * may work at the same time (for example two virtual threads); more readers (or writers) take turns.
 * Calling from a loop thread is refused, since parking it would stop its loop.
 */
public final class TcpStream implements AutoCloseable {
    private static final int FLUSH = 1, RESUME = 2, SHUTDOWN = 4, CLOSE = 8;
    /** How long a closed stream may wait for a stalled peer to take its last bytes, by default. */
    static final Duration DEFAULT_CLOSE_LINGER = Duration.ofSeconds(30);

    final Inbound inbound;
    final Outbound outbound;
    private final LoopBridge bridge;
    private final boolean client;
    private final AtomicInteger ops = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> connected;
    /** Next stream in the bridge's queue (written only by the enqueuing thread before it publishes). */
    TcpStream nextQueued;

    private Socket<TcpStream> socket; // set on the loop thread; used only there
    private volatile InetSocketAddress local, remote;
    private volatile SSLSession tlsSession;
    private volatile boolean outputShut;
    private volatile long readTimeoutNanos, writeTimeoutNanos;
    private volatile Duration closeLinger = DEFAULT_CLOSE_LINGER;
    // loop thread only
    private boolean shutdownWanted, closeWanted;
    private InputStream in;
    private OutputStream out;

    TcpStream(LoopBridge bridge, StreamOptions options, boolean client) {
        this.bridge = bridge;
        this.client = client;
        this.inbound = new Inbound(options.receiveBuffer(), bridge);
        this.outbound = new Outbound(options.sendBuffer(), bridge);
        this.connected = client ? new CompletableFuture<>() : null;
    }

    // ------------------------------------------------------------------ connecting

    /** Connects to {@code host:port} on the default loops, waiting as long as the OS does. */
    public static TcpStream connect(String host, int port) throws IOException {
        return connect(host, port, Duration.ZERO, StreamOptions.defaults());
    }

    /** Connects, failing with {@link SocketTimeoutException} after {@code timeout} (zero: no limit). */
    public static TcpStream connect(String host, int port, Duration timeout) throws IOException {
        return connect(host, port, timeout, StreamOptions.defaults());
    }

    /**
     * Connects to {@code host:port} with these options.
     *
     * @throws ConnectException when refused (or unreachable)
     * @throws SocketTimeoutException when {@code timeout} (zero: none) passes first
     */
    public static TcpStream connect(String host, int port, Duration timeout, StreamOptions options) throws IOException {
        return open(host, port, timeout, options, null);
    }

    /**
     * Connects and completes a TLS handshake ({@code tls} must be a client configuration, for
     * example {@code TlsOptions.client(SSLContext.getDefault())}); {@code host} is the server name
     * sent (SNI) and verified. The timeout covers connect and handshake.
     *
     * @throws SSLException when the handshake fails (untrusted certificate, no common protocol...)
     */
    public static TcpStream connectTls(String host, int port, TlsOptions tls, Duration timeout) throws IOException {
        return connectTls(host, port, tls, timeout, StreamOptions.defaults());
    }

    /** {@link #connectTls(String, int, TlsOptions, Duration)} with these options. */
    public static TcpStream connectTls(String host, int port, TlsOptions tls, Duration timeout, StreamOptions options)
            throws IOException {
        if (tls == null || !tls.client()) throw new IllegalArgumentException("connectTls needs client TlsOptions");
        return open(host, port, timeout, options, tls);
    }

    private static TcpStream open(String host, int port, Duration timeout, StreamOptions options, TlsOptions tls)
            throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        LoopGroup group = options.loops();
        refuseLoopThread(group, "TcpStream.connect");
        // Resolve here, on the caller's thread: a DNS lookup must never block a loop.
        String address = InetAddress.getByName(host).getHostAddress();
        Loop loop = group.next();
        TcpStream stream = new TcpStream(LoopBridge.of(loop), options, true);
        ConnectOptions connectOptions = new ConnectOptions(timeout == null ? Duration.ZERO : timeout, host);
        SocketOptions socketOptions = tls == null ? SocketOptions.defaults() : SocketOptions.defaults().withTls(tls);
        try {
            loop.defer(() -> {
                try {
                    SocketContext<Void, TcpStream> ctx = SocketContext.create(loop, null, StreamHandler.INSTANCE, socketOptions);
                    Socket<TcpStream> s = ctx.connect(address, port, null, connectOptions);
                    s.state(stream);
                } catch (RuntimeException e) {
                    stream.connectFailed(new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException e) {
            throw new SocketException("the loop is closed");
        }
        stream.awaitConnected(host, port);
        return stream;
    }

    private void awaitConnected(String host, int port) throws IOException {
        try {
            connected.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("connect interrupted");
        } catch (ExecutionException e) {
            throw connectError(e.getCause(), host + ":" + port);
        }
    }

    /** The loop's error as the exception a JDK socket would throw, with this thread's stack. */
    private static IOException connectError(Throwable cause, String target) {
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        IOException e;
        if (cause instanceof SocketTimeoutException) e = new SocketTimeoutException(msg + " (" + target + ")");
        else if (cause instanceof SSLException) e = new SSLException("TLS handshake with " + target + " failed: " + msg, cause);
        else if (cause instanceof ConnectException || msg.contains("refused") || msg.contains("unreachable")) {
            e = new ConnectException(msg + " (" + target + ")");
        } else {
            e = new SocketException("cannot connect to " + target + ": " + msg);
        }
        if (e.getCause() == null) e.initCause(cause);
        return e;
    }

    static void refuseLoopThread(LoopGroup group, String call) {
        if (group.current() != null) {
            throw new IllegalStateException(call + " would block loop thread '" + Thread.currentThread().getName()
                    + "'; call it from a virtual thread");
        }
    }

    // ------------------------------------------------------------------ loop side

    /** Loop thread: established (accepted, or connected and TLS done). */
    void opened(Socket<TcpStream> s) {
        socket = s;
        local = s.localAddress();
        remote = s.remoteAddress();
        tlsSession = s.tlsSession();
        if (connected != null) connected.complete(null);
    }

    void connectFailed(IOException error) {
        outbound.fail("not connected");
        connected.completeExceptionally(error);
    }

    void onWritable() {
        outbound.onWritable();
        request(FLUSH); // runs in this loop pass, after the callback (uncorked)
    }

    void onClosed(int code) {
        String message = switch (code) {
            case CloseCode.CLEAN -> null;
            case CloseCode.PEER_RESET -> "Connection reset";
            case CloseCode.TIMEOUT -> "connection timed out";
            case CloseCode.BACKPRESSURE_LIMIT -> "connection closed: too many bytes waiting for the peer";
            case CloseCode.LOOP_CLOSED -> "connection closed: its loop closed";
            case CloseCode.TLS_ERROR -> "connection closed: TLS error";
            default -> "connection closed (code " + code + ")";
        };
        inbound.onClosed(message);
        outbound.fail(message == null ? "connection closed" : message);
    }

    /** Loop thread: runs what readers and writers asked for. */
    void runOps() {
        int o = ops.getAndSet(0);
        Socket<TcpStream> s = socket;
        if (s == null || s.isClosed()) return;
        if ((o & RESUME) != 0 && inbound.takeResume()) s.resumeReading();
        if ((o & FLUSH) != 0) outbound.flush(s);
        if ((o & SHUTDOWN) != 0) shutdownWanted = true;
        if ((o & CLOSE) != 0) {
            closeWanted = true;
            s.timeout(closeLinger); // a peer that never takes the last bytes: abort then
        }
        finishPendingEnd();
    }

    /** Loop thread: shutdown/close once the ring is handed to the socket (which finishes its own backlog). */
    private void finishPendingEnd() {
        Socket<TcpStream> s = socket;
        if (s.isClosed()) return;
        if (closeWanted) {
            outbound.flush(s);
            if (outbound.drained(s)) s.close();
        } else if (shutdownWanted && outbound.ringEmpty()) {
            shutdownWanted = false;
            s.shutdown();
        }
    }

    private void request(int op) {
        int prev;
        do {
            prev = ops.get();
            if ((prev & op) == op) return;
        } while (!ops.compareAndSet(prev, prev | op));
        if (prev == 0) bridge.enqueue(this);
    }

    void requestFlush() {
        request(FLUSH);
    }

    void requestResume() {
        request(RESUME);
    }

    // ------------------------------------------------------------------ reading

    /** Reads into {@code buf}; see {@link #read(byte[], int, int)}. */
    public int read(byte[] buf) throws IOException {
        return read(buf, 0, buf.length);
    }

    /**
     * Reads up to {@code length} bytes, parking until at least one is there.
     *
     * @return the number read, or -1 at end of stream (the peer shut down its side)
     * @throws SocketTimeoutException when the {@link #readTimeout(Duration) read timeout} passes first
     * @throws SocketException when the stream is closed or the connection was reset
     */
    public int read(byte[] buf, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        refuseLoopThread();
        return inbound.read(buf, offset, length, null, readTimeoutNanos, this);
    }

    /** Reads into {@code dst} (its position advances); same rules as {@link #read(byte[], int, int)}. */
    public int read(ByteBuffer dst) throws IOException {
        refuseLoopThread();
        return inbound.read(null, 0, 0, dst, readTimeoutNanos, this);
    }

    /** Reads with this timeout instead of the stream's (zero: wait without limit). */
    public int read(ByteBuffer dst, Duration timeout) throws IOException {
        refuseLoopThread();
        return inbound.read(null, 0, 0, dst, timeout.toNanos(), this);
    }

    /** Sets how long reads wait before {@link SocketTimeoutException} (zero: forever, the default). */
    public TcpStream readTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout");
        readTimeoutNanos = timeout.toNanos();
        return this;
    }

    public Duration readTimeout() {
        return Duration.ofNanos(readTimeoutNanos);
    }

    /** Bytes that can be read now without blocking. */
    public int available() {
        return inbound.available();
    }

    // ------------------------------------------------------------------ writing

    /** Writes all of {@code bytes}; see {@link #writeAll(byte[], int, int)}. */
    public void writeAll(byte[] bytes) throws IOException {
        writeAll(bytes, 0, bytes.length);
    }

    /**
     * Writes every byte, blocking while the send buffer is full. Returns once the bytes are buffered
     * (the loop sends them right away); they are lost only if the connection fails.
     *
     * @throws SocketTimeoutException when the {@link #writeTimeout(Duration) write timeout} passes
     *                         with no space freeing up; its {@code bytesTransferred} counts the bytes
     *                         of this call that were buffered (and will be sent)
     * @throws SocketException after {@link #close()} or {@link #shutdownOutput()}, or when the
     *                         connection is gone
     */
    public void writeAll(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        refuseLoopThread();
        outbound.write(bytes, offset, length, null, true, writeTimeoutNanos, this);
    }

    /**
     * Writes all remaining bytes of {@code src} (its position advances to its limit; after a write
     * timeout, past the bytes that were buffered, so a retry with the same buffer sends the rest).
     */
    public void writeAll(ByteBuffer src) throws IOException {
        refuseLoopThread();
        outbound.write(null, 0, 0, src, true, writeTimeoutNanos, this);
    }

    /**
     * Writes as much of {@code bytes} as fits now, blocking only while nothing fits; returns the count.
     * A {@link #writeTimeout(Duration) write timeout} applies to that wait ({@code bytesTransferred} 0).
     */
    public int write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        refuseLoopThread();
        return outbound.write(bytes, offset, length, null, false, writeTimeoutNanos, this);
    }

    /** Writes as much of {@code src} as fits now, blocking only while nothing fits; returns the count. */
    public int write(ByteBuffer src) throws IOException {
        refuseLoopThread();
        return outbound.write(null, 0, 0, src, false, writeTimeoutNanos, this);
    }

    /**
     * Sets how long a write waits for send-buffer space before {@link SocketTimeoutException} (zero:
     * forever, the default). The limit is on waiting without progress: a write that keeps getting
     * space, however slowly, does not time out. Use it against peers that stop reading.
     *
     * <pre>{@code
     * stream.writeTimeout(Duration.ofSeconds(5));
     * try {
     *     stream.writeAll(bytes);
     * } catch (SocketTimeoutException e) {
     *     int sent = e.bytesTransferred; // bytes[0, sent) are buffered and go out; the rest did not
     *     stream.close();                // or retry with the rest: the stream stays usable
     * }
     * }</pre>
     *
     * <p>After a timeout the stream stays usable and consistent: the first {@code bytesTransferred}
     * bytes of the call are in the send buffer and will be sent, none after them; a later write
     * continues right after them. (As with JDK sockets, a timed-out write may have sent part of the
     * data.)
     */
    public TcpStream writeTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout");
        writeTimeoutNanos = timeout.toNanos();
        return this;
    }

    public Duration writeTimeout() {
        return Duration.ofNanos(writeTimeoutNanos);
    }

    /**
     * Sets how long the loop keeps sending buffered bytes after {@link #close()} to a peer that does
     * not take them (default 30 seconds); then it resets the connection (RST) and drops them.
     * {@code close()} itself never waits: the linger happens on the loop. Set it before closing.
     *
     * <pre>{@code
     * stream.closeLinger(Duration.ofSeconds(2)).close(); // a stuck peer costs at most 2 s of socket
     * }</pre>
     */
    public TcpStream closeLinger(Duration linger) {
        if (linger.isNegative() || linger.isZero()) throw new IllegalArgumentException("linger must be positive");
        closeLinger = linger;
        return this;
    }

    public Duration closeLinger() {
        return closeLinger;
    }

    /**
     * Shuts down the sending side once everything written is sent (the peer reads -1); reading goes
     * on. Later writes fail.
     */
    public void shutdownOutput() throws IOException {
        if (closed.get()) throw new SocketException("stream closed");
        if (outputShut) return;
        outputShut = true;
        outbound.fail("output shut down");
        request(SHUTDOWN);
    }

    /**
     * Shuts down the receiving side, like {@link java.net.Socket#shutdownInput()}: reads, including
     * one blocked now, return -1 from now on and {@link #available()} is 0; bytes received and not
     * read are dropped, and the peer's further bytes are taken from the socket and silently discarded
     * (the peer is not told and does not block). Writing goes on. Idempotent.
     *
     * <pre>{@code
     * stream.shutdownInput();            // we want no more from the peer
     * stream.read(buf);                  // -1
     * stream.writeAll(answer);           // still fine
     * }</pre>
     *
     * @throws SocketException after {@link #close()}
     */
    public void shutdownInput() throws IOException {
        if (closed.get()) throw new SocketException("stream closed");
        if (inbound.shutdownInput()) requestResume(); // a paused socket reads (and drops) again
    }

    // ------------------------------------------------------------------ views and state

    /** This stream as an {@link InputStream} (-1 at end, {@link SocketTimeoutException} on read timeout); closing it closes the stream. */
    public InputStream inputStream() {
        if (in == null) in = new StreamInput(this);
        return in;
    }

    /** This stream as an {@link OutputStream} ({@code write} = {@link #writeAll}); closing it closes the stream. */
    public OutputStream outputStream() {
        if (out == null) out = new StreamOutput(this);
        return out;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** True for streams made by {@code connect}, false for accepted ones. */
    public boolean isClient() {
        return client;
    }

    /** The TLS session (protocol, cipher suite, peer certificates), or null for plain TCP. */
    public SSLSession tlsSession() {
        return tlsSession;
    }

    public boolean isTls() {
        return tlsSession != null;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** The loop doing this stream's I/O. */
    public Loop loop() {
        return bridge.loop;
    }

    /**
     * Closes the stream: blocked and later reads and writes fail with "stream closed". Bytes already
     * written are still sent (the loop closes the socket once they are out, or resets it after
     * {@link #closeLinger(Duration)}, 30 seconds by default, if the peer does not take them); bytes
     * received and not read are dropped. Never blocks. Idempotent; any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        inbound.closeLocally();
        outbound.fail("stream closed");
        request(CLOSE);
    }

    private void refuseLoopThread() {
        if (bridge.loop.isOnLoopThread()) {
            throw new IllegalStateException("a blocking stream call would block loop thread '"
                    + Thread.currentThread().getName() + "'; call it from a virtual thread");
        }
    }

    /** For diagnostics: both halves and the pending operations. */
    String state() {
        return this + " ops=" + ops.get() + " queued=" + (nextQueued != null) + " in{" + inbound.state() + "} out{"
                + outbound.state() + "}";
    }

    @Override
    public String toString() {
        return "TcpStream[" + local + " -> " + remote + (isTls() ? ", tls" : "") + (closed.get() ? ", closed" : "") + "]";
    }
}

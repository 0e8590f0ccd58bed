package dev.gust.http;

import dev.gust.http.response.ChunkedEncoder;
import dev.gust.http.response.ResponseHeadWriter;
import dev.gust.loop.Loop;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The response to one request. Set the status first, then headers, then either {@link #end(String)}
 * the whole body at once (sent with {@code Content-Length}, head and body in one syscall) or stream
 * it with {@link #write} (chunked unless you set {@code Content-Length}) and finish with {@link #end()}.
 *
 * <pre>{@code
 * res.status(201).header("Content-Type", "application/json").end("{\"ok\":true}");
 * }</pre>
 *
 * <p>Methods may be called from any thread: on the loop thread they act at once; from another
 * thread (a blocking handler's virtual thread, a future's callback) they run on the loop and the
 * caller waits, and {@link #write} then also waits while the client is slow (backpressure). The
 * response object is reused for the connection's next request: do not touch it after {@code end}.
 */
public final class HttpResponse {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int NOT_STARTED = 0, HEAD_OPEN = 1, STREAMING = 2, ENDED = 3;

    private final HttpConnection connection;
    private ByteBuffer head = ByteBuffer.allocate(512);
    private final ByteBuffer chunkHeader = ByteBuffer.allocate(24);
    private final ByteBuffer crlf = ByteBuffer.wrap(CRLF); // reused per chunk: the socket copies or sends it at once
    private int state;
    private int status;
    private boolean explicitLength;
    private boolean headRequest;
    private boolean closeAfter;
    private boolean http10KeepAlive;
    private Runnable onAborted;
    private Runnable onDrain;
    CompletableFuture<Void> drainWaiter;

    HttpResponse(HttpConnection connection) {
        this.connection = connection;
    }

    void begin(boolean keepAlive, boolean http10, boolean headRequest) {
        state = NOT_STARTED;
        status = 200;
        explicitLength = false;
        this.headRequest = headRequest;
        this.closeAfter = !keepAlive;
        this.http10KeepAlive = keepAlive && http10;
        onAborted = null;
        onDrain = null;
        drainWaiter = null;
        head.clear();
    }

    /** The loop this response's connection lives on. */
    public Loop loop() {
        return connection.loop();
    }

    /** True once the response is complete. */
    public boolean isEnded() {
        return state == ENDED;
    }

    /** True once the status line was written (headers can no longer change the status). */
    public boolean isStarted() {
        return state != NOT_STARTED;
    }

    /** Sets the status (default 200). Call before headers and body. */
    public HttpResponse status(int code) {
        if (!HttpStatus.isValid(code)) throw new IllegalArgumentException("invalid status " + code);
        if (!onLoop()) return hop(() -> status(code));
        if (state != NOT_STARTED) throw new IllegalStateException("status must be set before headers and body");
        status = code;
        return this;
    }

    /** Adds a header. {@code Content-Length} here makes {@link #write} send the body unchunked. */
    public HttpResponse header(String name, String value) {
        if (!onLoop()) return hop(() -> header(name, value));
        if (state > HEAD_OPEN) throw new IllegalStateException("headers are already sent");
        startHead();
        ensureHeadRoom(name.length() + value.length() + 4);
        writer().header(name, value);
        if (name.equalsIgnoreCase("content-length")) explicitLength = true;
        if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) closeAfter = true;
        return this;
    }

    /** Adds a numeric header without formatting a String. */
    public HttpResponse header(String name, long value) {
        if (!onLoop()) return hop(() -> header(name, value));
        if (state > HEAD_OPEN) throw new IllegalStateException("headers are already sent");
        startHead();
        ensureHeadRoom(name.length() + 24);
        writer().header(name, value);
        if (name.equalsIgnoreCase("content-length")) explicitLength = true;
        return this;
    }

    /** Ends with an empty body. */
    public void end() {
        if (!onLoop()) {
            hop(this::end);
            return;
        }
        if (state == ENDED) return;
        if (state == STREAMING) {
            if (!explicitLength) {
                chunkHeader.clear();
                ChunkedEncoder.writeLastChunk(chunkHeader);
                chunkHeader.flip();
                connection.socket.write(chunkHeader, false);
            }
            finish();
            return;
        }
        endWith(null);
    }

    /** Ends with {@code body} as UTF-8. */
    public void end(String body) {
        end(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Ends with {@code body}. */
    public void end(byte[] body) {
        end(ByteBuffer.wrap(body));
    }

    /** Ends with {@code body} (consumed). Head and body leave in one syscall when they fit the cork buffer. */
    public void end(ByteBuffer body) {
        if (!onLoop()) {
            ByteBuffer copy = copyOf(body);
            hop(() -> end(copy));
            return;
        }
        if (state == ENDED) throw new IllegalStateException("response already ended");
        if (state == STREAMING) {
            write(body);
            end();
            return;
        }
        endWith(body);
    }

    private void endWith(ByteBuffer body) {
        startHead();
        ensureHeadRoom(64);
        ResponseHeadWriter w = writer();
        if (!explicitLength) w.contentLength(body == null ? 0 : body.remaining());
        finishHeadFraming(w);
        head.flip();
        if (body == null || headRequest || !body.hasRemaining()) {
            connection.socket.write(head, false);
        } else {
            connection.socket.write(head, body, false);
        }
        finish();
    }

    /**
     * Streams a piece of the body (consumed): chunked unless a {@code Content-Length} header was set.
     *
     * @return on the loop: false when the client is slow (wait for {@link #onDrain}); from another
     * thread it waits for the client instead and returns true
     */
    public boolean write(ByteBuffer data) {
        if (!onLoop()) {
            ByteBuffer copy = copyOf(data);
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            runOnLoopAndWait(() -> result.complete(write(copy)));
            if (!result.join()) awaitDrain();
            return true;
        }
        if (state == ENDED) throw new IllegalStateException("response already ended");
        if (state != STREAMING) {
            startHead();
            ensureHeadRoom(64);
            ResponseHeadWriter w = writer();
            if (!explicitLength) w.chunked();
            finishHeadFraming(w);
            head.flip();
            connection.socket.write(head, true);
            state = STREAMING;
        }
        if (headRequest || !data.hasRemaining()) {
            data.position(data.limit());
            return connection.socket.bufferedAmount() == 0;
        }
        if (explicitLength) return connection.socket.write(data, false);
        chunkHeader.clear();
        ChunkedEncoder.writeChunkHeader(chunkHeader, data.remaining());
        chunkHeader.flip();
        connection.socket.write(chunkHeader, data, true);
        return connection.socket.write(crlf.clear(), false);
    }

    /** Streams a piece of the body as UTF-8; see {@link #write(ByteBuffer)}. */
    public boolean write(String text) {
        return write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Streams a piece of the body; see {@link #write(ByteBuffer)}. */
    public boolean write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes));
    }

    /** Response bytes waiting for a slow client. */
    public long bufferedAmount() {
        return connection.socket.bufferedAmount();
    }

    /** Runs {@code callback} (on the loop) if the connection closes before the response ends. */
    public HttpResponse onAborted(Runnable callback) {
        this.onAborted = callback;
        return this;
    }

    /** Runs {@code callback} (on the loop) when buffered response bytes have drained. */
    public HttpResponse onDrain(Runnable callback) {
        this.onDrain = callback;
        return this;
    }

    /** Batches the writes {@code writes} makes into one syscall (useful outside the handler call). */
    public void cork(Runnable writes) {
        if (!onLoop()) {
            hop(() -> cork(writes));
            return;
        }
        connection.socket.cork(writes);
    }

    /**
     * Hands the connection to another protocol (WebSocket): writes {@code responseHead} (a complete
     * 101 response) and routes every later socket event to {@code protocol}. Loop thread only.
     */
    public void takeOver(ByteBuffer responseHead, ConnectionTakeover protocol) {
        loop().checkThread("HttpResponse.takeOver");
        if (state != NOT_STARTED) throw new IllegalStateException("the response has started; cannot switch protocols");
        state = ENDED;
        connection.takeOver(responseHead, protocol);
    }

    /** The connection's socket (for protocols that take over). */
    public dev.gust.loop.Socket<?> socket() {
        return connection.socket;
    }

    // ------------------------------------------------------------------ internals

    void drained() {
        CompletableFuture<Void> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            w.complete(null);
        }
        Runnable d = onDrain;
        if (d != null && state == STREAMING) d.run();
    }

    void aborted() {
        CompletableFuture<Void> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            w.completeExceptionally(new UncheckedIOException(new java.io.IOException("client disconnected")));
        }
        if (state != ENDED && onAborted != null) {
            Runnable a = onAborted;
            onAborted = null;
            a.run();
        }
    }

    /** Answers a request the handler failed: 500 if nothing was sent yet, else the connection is cut. */
    void fail() {
        if (state == ENDED) return;
        if (state == NOT_STARTED) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            closeAfter = true;
            endWith(null);
        } else {
            connection.socket.abort();
        }
    }

    boolean closeAfter() {
        return closeAfter;
    }

    void closeAfter(boolean close) {
        this.closeAfter = close;
    }

    private void startHead() {
        if (state != NOT_STARTED) return;
        head.clear();
        writer().start(head, status);
        state = HEAD_OPEN;
    }

    private void finishHeadFraming(ResponseHeadWriter w) {
        if (closeAfter || connection.closingAfterResponse()) {
            closeAfter = true;
            w.connectionClose();
        } else if (http10KeepAlive) {
            w.connectionKeepAlive();
        }
        w.end();
    }

    private ResponseHeadWriter writer() {
        return connection.home.headWriter.resume(head);
    }

    private void ensureHeadRoom(int needed) {
        if (head.remaining() >= needed) return;
        int capacity = head.capacity();
        while (capacity - head.position() < needed) capacity *= 2;
        if (capacity > connection.home.server.options().limits().maxHeadSize() * 8 + 4096) {
            throw new IllegalStateException("response head too large");
        }
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        head.flip();
        bigger.put(head);
        head = bigger;
    }

    private void finish() {
        state = ENDED;
        connection.responseEnded();
    }

    private boolean onLoop() {
        return connection.loop().isOnLoopThread() || !connection.loop().isRunning();
    }

    private HttpResponse hop(Runnable op) {
        runOnLoopAndWait(op);
        return this;
    }

    private void runOnLoopAndWait(Runnable op) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.loop().defer(() -> {
            try {
                op.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw e;
        }
    }

    /** Off-loop writer: waits until the connection's buffered bytes drain (or it closes). */
    private void awaitDrain() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        runOnLoopAndWait(() -> {
            if (connection.socket.isClosed()) {
                waiter.completeExceptionally(new UncheckedIOException(new java.io.IOException("client disconnected")));
            } else if (connection.socket.bufferedAmount() == 0) {
                waiter.complete(null);
            } else {
                drainWaiter = waiter;
            }
        });
        try {
            waiter.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        ByteBuffer copy = ByteBuffer.allocate(b.remaining());
        copy.put(b).flip();
        return copy;
    }
}

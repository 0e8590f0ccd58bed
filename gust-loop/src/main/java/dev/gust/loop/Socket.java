package dev.gust.loop;

import dev.gust.loop.spi.DetachedHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLSession;

/**
 * A TCP (or TLS) connection of a {@link SocketContext}, owned by one loop thread.
 *
 * <p>Writing: {@link #write(ByteBuffer)} sends at once when it can. What the kernel does not take
 * is kept (up to the context's {@code maxBufferedBytes}, else the socket closes) and sent when the
 * socket is writable, then {@link SocketHandler#onWritable} fires. Inside a callback of this socket
 * writes are <em>corked</em>: small writes are gathered in the loop's cork buffer and go out in one
 * syscall when the callback returns. Pass {@code more = true} to keep gathering outside callbacks too
 * (until the end of the loop pass, or {@link #flush()}).
 *
 * <pre>{@code
 * public void onData(Socket<Session> s, ByteBuffer data) {
 *     s.write(header, false);          // corked with the next write...
 *     s.write(header, payload, false); // ...header and payload without copying the payload
 *     if (s.bufferedAmount() > 1 << 20) s.pauseReading(); // resume in onWritable
 * }
 * }</pre>
 *
 * <p>All methods are loop-thread only (they throw {@link WrongThreadException} otherwise).
 *
 * <p>An open plain connection can move to another context, usually on another loop, with
 * {@link #moveTo(SocketContext, Object, ByteBuffer)}.
 *
 * @param <S> the per-socket state type
 */
public final class Socket<S> extends LoopResource {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.Socket");

    private static final int CONNECTING = 1, OPEN = 2, READ_DONE = 4, WRITE_DONE = 8, SHUTDOWN_PENDING = 16,
            CLOSED = 32, READ_PAUSED = 64, CLIENT = 128;

    final SocketContext<?, S> context;
    final Loop loop;
    private final SocketHandler<S> handler;
    IoHandle handle;
    private int flags;
    private S state;
    /** Bytes the kernel did not take yet, in write mode (position = end of data); null when empty. */
    private ByteBuffer pending;
    /**
     * "More" writes made while another socket holds the loop's cork buffer (pub/sub fan-out): gathered
     * here (a pooled direct buffer) and sent once at the end of the loop pass, so a subscriber that gets
     * several messages in one pass costs one syscall, not one per message. Null when empty.
     */
    private ByteBuffer outbox;
    /** TLS layer, or null for plain TCP. */
    TlsLayer tls;
    /** Fairness: the loop pass {@link #passWritten} counts for, and the bytes given to the kernel in it. */
    private long pass = -1, passWritten;
    private final SocketTimer idleTimer = new SocketTimer(false);
    private SocketTimer longTimer; // created on first use: most sockets never set a long timeout

    Socket(SocketContext<?, S> context, boolean client) {
        this.context = context;
        this.loop = context.loop();
        this.handler = context.handler();
        this.flags = client ? CLIENT | CONNECTING : 0;
    }

    // ------------------------------------------------------------------ state

    /** The per-socket state, null until set. */
    public S state() {
        return state;
    }

    /** Sets the per-socket state. */
    public void state(S value) {
        this.state = value;
    }

    public SocketContext<?, S> context() {
        return context;
    }

    public Loop loop() {
        return loop;
    }

    public boolean isClient() {
        return (flags & CLIENT) != 0;
    }

    public boolean isClosed() {
        return (flags & CLOSED) != 0;
    }

    /** True once established and until closed. */
    public boolean isOpen() {
        return (flags & (OPEN | CLOSED)) == OPEN;
    }

    /** True when our sending side is shut down (or will be once buffered bytes are out). */
    public boolean isShutdown() {
        return (flags & (WRITE_DONE | SHUTDOWN_PENDING)) != 0;
    }

    /** True when the peer has shut down its sending side. */
    public boolean isReadShutdown() {
        return (flags & READ_DONE) != 0;
    }

    public boolean isTls() {
        return tls != null;
    }

    /** Bytes accepted by {@link #write} that the kernel has not taken yet. */
    public long bufferedAmount() {
        long n = pending == null ? 0 : pending.position();
        if (loop.corkedSocket == this) n += loop.corkBuffer.position();
        if (outbox != null) n += outbox.position();
        if (tls != null) n += tls.heldBytes();
        return n;
    }

    /**
     * Sets a socket option on the kernel socket, also while still connecting. Supported on every
     * built-in transport: {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_KEEPALIVE},
     * {@code SO_REUSEADDR}, {@code TCP_NODELAY} (on by default: writes are corked by the loop).
     * Loop thread only.
     *
     * <pre>{@code
     * public void onOpen(Socket<S> s, boolean client, InetSocketAddress peer) throws IOException {
     *     s.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
     *     int granted = s.getOption(StandardSocketOptions.SO_SNDBUF); // as the kernel capped it
     * }
     * }</pre>
     *
     * @throws UnsupportedOperationException an option the transport does not support ("'NAME' not supported")
     * @throws IllegalArgumentException      a null value or a negative buffer size
     * @throws ClosedChannelException        the socket is closed (or was moved to another loop)
     * @throws IOException                   the kernel refused the value
     */
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        loop.checkThread("Socket.setOption");
        openHandle().setOption(name, value);
    }

    /**
     * Reads a socket option back from the kernel, with the same numbers a JDK socket reports: on
     * Linux the kernel doubles a buffer size set and the JDK halves what it reads back, so do we (a
     * size above the kernel's maximum reads back as that maximum). Loop thread only; errors as
     * {@link #setOption}.
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        loop.checkThread("Socket.getOption");
        return openHandle().getOption(name);
    }

    private IoHandle openHandle() throws ClosedChannelException {
        if (handle == null || isClosed()) throw new ClosedChannelException();
        return handle;
    }

    public InetSocketAddress remoteAddress() {
        return handle == null ? null : handle.remoteAddress();
    }

    public InetSocketAddress localAddress() {
        return handle == null ? null : handle.localAddress();
    }

    public int remotePort() {
        InetSocketAddress a = remoteAddress();
        return a == null ? -1 : a.getPort();
    }

    public int localPort() {
        InetSocketAddress a = localAddress();
        return a == null ? -1 : a.getPort();
    }

    /** The TLS application protocol chosen by ALPN, or null. */
    public String applicationProtocol() {
        return tls == null ? null : tls.applicationProtocol();
    }

    /**
     * The TLS session (protocol, cipher suite, peer certificates), or null for plain TCP. Complete
     * from {@link SocketHandler#onOpen} on, for example:
     * {@code ((X509Certificate) s.tlsSession().getPeerCertificates()[0]).getSubjectX500Principal()}.
     */
    public SSLSession tlsSession() {
        return tls == null ? null : tls.session();
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code data} (consumed); see {@link #write(ByteBuffer, boolean)}. */
    public boolean write(ByteBuffer data) {
        return write(data, false);
    }

    /** Writes {@code bytes}; see {@link #write(ByteBuffer, boolean)}. */
    public boolean write(byte[] bytes) {
        return write(ByteBuffer.wrap(bytes), false);
    }

    /**
     * Writes {@code data}, consuming it.
     *
     * @param more a hint that more writes follow soon: the bytes are gathered (corked) and sent with
     *             the next ones, at the latest at the end of this loop pass
     * @return true when everything went to the kernel or the cork buffer; false when some bytes had
     * to be kept for later (backpressure: wait for {@link SocketHandler#onWritable}) or the socket is
     * closed or shut down (check {@link #isClosed()}): then they are dropped
     */
    public boolean write(ByteBuffer data, boolean more) {
        loop.checkThread("Socket.write");
        if ((flags & (CLOSED | WRITE_DONE | SHUTDOWN_PENDING)) != 0) {
            data.position(data.limit());
            return false;
        }
        if (tls != null) return tls.writeApplicationData(data, null, more);
        return writeWire(data, null, more);
    }

    /**
     * Writes {@code header} then {@code payload} (both consumed) as one stream, without copying a
     * large payload: they go out with one gathering write. Same result as {@link #write(ByteBuffer, boolean)}.
     */
    public boolean write(ByteBuffer header, ByteBuffer payload, boolean more) {
        loop.checkThread("Socket.write");
        if ((flags & (CLOSED | WRITE_DONE | SHUTDOWN_PENDING)) != 0) {
            header.position(header.limit());
            payload.position(payload.limit());
            return false;
        }
        if (tls != null) return tls.writeApplicationData(header, payload, more);
        return writeWire(header, payload, more);
    }

    /**
     * Corks the socket while {@code writes} runs, so its writes leave in one syscall at the end.
     * Writes in this socket's own callbacks are corked already.
     */
    public void cork(Runnable writes) {
        loop.checkThread("Socket.cork");
        Socket<?> previous = loop.corkedSocket;
        if (previous != null && previous != this) previous.uncork();
        loop.corkedSocket = this;
        try {
            writes.run();
        } finally {
            if (loop.corkedSocket == this) uncork();
        }
    }

    /** Sends corked bytes now. */
    public void flush() {
        loop.checkThread("Socket.flush");
        if (loop.corkedSocket == this) uncork();
    }

    /** Writes bytes to the wire (after TLS, if any); {@code second} may be null. */
    boolean writeWire(ByteBuffer first, ByteBuffer second, boolean more) {
        long size = first.remaining() + (second == null ? 0 : second.remaining());
        if (pending != null && pending.position() > 0) {
            // Already waiting for the kernel: keep order by queueing behind.
            return queue(first, second, size);
        }
        Socket<?> corked = loop.corkedSocket;
        if (more && corked != null && corked != this && size <= loop.corkBuffer.capacity()) {
            // Another socket holds the cork: gather in our outbox, sent at the end of the pass.
            if (outbox != null && outbox.remaining() < size) flushOutbox();
            if (outbox == null) outbox = loop.takeOutbox(this);
            outbox.put(first);
            if (second != null) outbox.put(second);
            return true;
        }
        if (outbox != null) flushOutbox(); // earlier gathered bytes go first
        if ((flags & CLOSED) != 0) return false;
        ByteBuffer cork = loop.corkBuffer;
        corked = loop.corkedSocket;
        if (corked != this && more && corked != null) {
            corked.uncork(); // one cork buffer per loop: hand it over
            corked = null;
        }
        if (corked == this || (more && corked == null)) {
            if (size <= cork.remaining()) {
                loop.corkedSocket = this;
                cork.put(first);
                if (second != null) cork.put(second);
                return true;
            }
            if (corked == this) return writeWithCork(first, second, size);
        }
        return writeNow(first, second, size);
    }

    /**
     * True once this socket has given the kernel its write budget in the current loop pass: further
     * bytes wait (as if the kernel had refused them) and go out in a later pass, so one socket whose
     * handler writes as long as writes succeed cannot hold the loop.
     */
    private boolean overWriteBudget() {
        long now = loop.iteration();
        if (now != pass) {
            pass = now;
            passWritten = 0;
            return false;
        }
        return passWritten >= loop.options().writeBudget();
    }

    /** Sends cork buffer + data in one gathering write. */
    private boolean writeWithCork(ByteBuffer first, ByteBuffer second, long size) {
        ByteBuffer cork = loop.corkBuffer;
        cork.flip();
        loop.corkedSocket = null;
        if (overWriteBudget()) { // keep all of it, in order, for a later pass
            queue(cork, null, cork.remaining());
            cork.clear();
            if ((flags & CLOSED) == 0) return queue(first, second, size);
            first.position(first.limit());
            if (second != null) second.position(second.limit());
            return false;
        }
        ByteBuffer[] gather = loop.gather;
        gather[0] = cork;
        gather[1] = first;
        gather[2] = second;
        int count = second == null ? 2 : 3;
        long total = cork.remaining() + size;
        boolean ok = writeGather(count, total);
        cork.clear();
        return ok;
    }

    private boolean writeNow(ByteBuffer first, ByteBuffer second, long size) {
        if (overWriteBudget()) return queue(first, second, size);
        if (second == null) {
            try {
                passWritten += handle.write(first);
            } catch (IOException e) {
                failWrite(e);
                return false;
            }
            if (!first.hasRemaining()) return true;
            return queue(first, null, first.remaining());
        }
        ByteBuffer[] gather = loop.gather;
        gather[0] = first;
        gather[1] = second;
        gather[2] = null;
        return writeGather(2, size);
    }

    private boolean writeGather(int count, long total) {
        ByteBuffer[] gather = loop.gather;
        try {
            long written = handle.write(gather, 0, count);
            passWritten += written;
            if (written == total) return true;
            // Keep every part the kernel did not take, in order (queue() answers false for
            // "backpressure", so it is no reason to stop; only a close past the limit is).
            for (int i = 0; i < count && (flags & CLOSED) == 0; i++) {
                if (gather[i].hasRemaining()) queue(gather[i], null, gather[i].remaining());
            }
            return false;
        } catch (IOException e) {
            failWrite(e);
            return false;
        } finally {
            gather[0] = gather[1] = gather[2] = null;
        }
    }

    /** Keeps bytes for later; closes the socket past the limit. Returns false (backpressure). */
    private boolean queue(ByteBuffer first, ByteBuffer second, long size) {
        long buffered = pending == null ? 0 : pending.position();
        if (buffered + size > context.options().maxBufferedBytes()) {
            first.position(first.limit());
            if (second != null) second.position(second.limit());
            LOG.log(System.Logger.Level.INFO, "closing {0}: {1} bytes waiting for a slow peer exceed maxBufferedBytes {2}",
                    this, buffered + size, context.options().maxBufferedBytes());
            abort(CloseCode.BACKPRESSURE_LIMIT);
            return false;
        }
        ensurePending((int) (buffered + size));
        pending.put(first);
        if (second != null) pending.put(second);
        watchWritable(true);
        return false;
    }

    private void ensurePending(int needed) {
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(needed, 16 * 1024));
        } else if (pending.capacity() < needed) {
            int capacity = pending.capacity();
            while (capacity < needed) capacity = capacity > (1 << 29) ? needed : capacity * 2;
            ByteBuffer bigger = ByteBuffer.allocate(capacity);
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
    }

    /** Sends the outbox (the loop calls this at the end of each pass for every socket that has one). */
    void flushOutbox() {
        ByteBuffer box = outbox;
        if (box == null) return;
        outbox = null;
        box.flip();
        if ((flags & CLOSED) == 0 && box.hasRemaining()) writeNow(box, null, box.remaining()); // rest is queued
        loop.returnOutbox(box);
        if ((flags & SHUTDOWN_PENDING) != 0 && loop.corkedSocket != this && (pending == null || pending.position() == 0)) {
            finishShutdown();
        }
    }

    private void dropOutbox() {
        ByteBuffer box = outbox;
        if (box == null) return;
        outbox = null;
        loop.returnOutbox(box);
    }

    /** Writes the cork buffer out (loop calls this at the end of callbacks and passes). */
    void uncork() {
        if (loop.corkedSocket != this) return;
        ByteBuffer cork = loop.corkBuffer;
        loop.corkedSocket = null;
        cork.flip();
        if (cork.hasRemaining() && (flags & CLOSED) == 0) writeNow(cork, null, cork.remaining());
        cork.clear();
        if ((flags & SHUTDOWN_PENDING) != 0 && (pending == null || pending.position() == 0)) finishShutdown();
    }

    private void failWrite(IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "write failed on {0}: {1}", this, e.toString());
        closeNow(CloseCode.PEER_RESET, false);
    }

    private void watchWritable(boolean on) {
        handle.interest(Loop.interestFor((flags & (READ_DONE | READ_PAUSED)) == 0, on));
    }

    /** Writable readiness: send what waited, then tell the handler. */
    private void onWritableReady() {
        if (pending != null && pending.position() > 0) {
            if (overWriteBudget()) return; // spent in this pass already: still watched, so the next pass comes back
            pending.flip();
            try {
                passWritten += handle.write(pending);
            } catch (IOException e) {
                pending.compact();
                failWrite(e);
                return;
            }
            boolean drained = !pending.hasRemaining();
            pending.compact();
            if (!drained) return;
            // Drop big buffers so idle sockets stay small.
            if (pending.capacity() > 64 * 1024) pending = null;
        }
        watchWritable(false);
        if ((flags & SHUTDOWN_PENDING) != 0) {
            finishShutdown();
            if ((flags & CLOSED) != 0) return;
        }
        if (tls != null && tls.onWireDrained()) return;
        if (loop.corkedSocket != null) loop.corkedSocket.uncork();
        loop.corkedSocket = this;
        try {
            handler.onWritable(this);
        } catch (RuntimeException | Error e) {
            callbackFailed("onWritable", e);
        } finally {
            uncork();
        }
    }

    // ------------------------------------------------------------------ reading

    /** Stops reading from the peer (its writes back up in the kernel) until {@link #resumeReading()}. */
    public void pauseReading() {
        loop.checkThread("Socket.pauseReading");
        if ((flags & (CLOSED | READ_PAUSED)) != 0) return;
        flags |= READ_PAUSED;
        if ((flags & OPEN) != 0) handle.interest(handle.interest() & ~Readiness.READ);
    }

    /** Undoes {@link #pauseReading()}. */
    public void resumeReading() {
        loop.checkThread("Socket.resumeReading");
        if ((flags & READ_PAUSED) == 0 || (flags & CLOSED) != 0) return;
        flags &= ~READ_PAUSED;
        if ((flags & (OPEN | READ_DONE)) == OPEN) handle.interest(handle.interest() | Readiness.READ);
    }

    private void onReadable() {
        ByteBuffer buf = loop.readBuffer;
        buf.clear();
        int n;
        try {
            n = handle.read(buf);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "read failed on {0}: {1}", this, e.toString());
            closeNow(CloseCode.PEER_RESET, false);
            return;
        }
        if (n > 0) {
            buf.flip();
            if (tls != null) tls.onWireData(buf);
            else deliverData(buf);
        } else if (n < 0) {
            if (tls != null) tls.onWireEnd();
            else onPeerEnd();
        }
    }

    /** Hands plaintext to the handler, corked. */
    void deliverData(ByteBuffer data) {
        if ((flags & CLOSED) != 0) return;
        Socket<?> previous = loop.corkedSocket;
        if (previous != null && previous != this) previous.uncork();
        loop.corkedSocket = this;
        try {
            handler.onData(this, data);
        } catch (RuntimeException | Error e) {
            callbackFailed("onData", e);
        } finally {
            uncork();
        }
    }

    /** The peer's FIN arrived. */
    void onPeerEnd() {
        if ((flags & (CLOSED | READ_DONE)) != 0) return;
        flags |= READ_DONE;
        handle.interest(handle.interest() & ~Readiness.READ);
        if ((flags & WRITE_DONE) != 0) {
            closeNow(CloseCode.CLEAN, false);
            return;
        }
        Socket<?> previous = loop.corkedSocket;
        if (previous != null && previous != this) previous.uncork();
        loop.corkedSocket = this;
        try {
            handler.onEnd(this);
        } catch (RuntimeException | Error e) {
            callbackFailed("onEnd", e);
        } finally {
            uncork();
        }
    }

    // ------------------------------------------------------------------ shutdown and close

    /**
     * Shuts down our sending side (FIN; for TLS a close_notify first) once buffered bytes are written;
     * reading goes on. Before the socket is open (TLS: before its handshake is done) it closes it.
     */
    public void shutdown() {
        loop.checkThread("Socket.shutdown");
        if ((flags & (CLOSED | WRITE_DONE | SHUTDOWN_PENDING)) != 0) return;
        if ((flags & OPEN) == 0 || (tls != null && tls.isHandshaking())) {
            close();
            return;
        }
        flags |= SHUTDOWN_PENDING;
        if (tls != null) tls.closeOutbound();
        if (outbox != null) flushOutbox();
        if (loop.corkedSocket == this) return; // uncork finishes it
        if (pending == null || pending.position() == 0) finishShutdown();
    }

    private void finishShutdown() {
        flags &= ~SHUTDOWN_PENDING;
        flags |= WRITE_DONE;
        try {
            handle.shutdownOutput();
        } catch (IOException e) {
            closeNow(CloseCode.PEER_RESET, false);
            return;
        }
        if ((flags & READ_DONE) != 0) closeNow(CloseCode.CLEAN, false);
    }

    /** Stops reading: the peer's further bytes are discarded by the kernel. */
    public void shutdownRead() {
        loop.checkThread("Socket.shutdownRead");
        if ((flags & (CLOSED | READ_DONE)) != 0 || (flags & OPEN) == 0) return;
        flags |= READ_DONE;
        try {
            handle.shutdownInput();
        } catch (IOException e) {
            // already gone: treated as done
        }
        handle.interest(handle.interest() & ~Readiness.READ);
        if ((flags & WRITE_DONE) != 0) closeNow(CloseCode.CLEAN, false);
    }

    /** Closes cleanly (FIN) after a last try to send buffered bytes; {@link SocketHandler#onClose} gets {@link CloseCode#CLEAN}. */
    public void close() {
        close(CloseCode.CLEAN);
    }

    /** Closes cleanly (FIN) after a last try to send buffered bytes, reporting {@code code} to onClose. */
    public void close(int code) {
        loop.checkThread("Socket.close");
        closeNow(code, true);
    }

    /** Resets the connection (RST; buffered bytes are discarded) with {@link CloseCode#ABORTED}. */
    public void abort() {
        abort(CloseCode.ABORTED);
    }

    /** Resets the connection (RST) and reports {@code code} to onClose. */
    public void abort(int code) {
        loop.checkThread("Socket.abort");
        if ((flags & CLOSED) != 0) return;
        if (loop.corkedSocket == this) {
            loop.corkedSocket = null;
            loop.corkBuffer.clear();
        }
        pending = null;
        dropOutbox();
        flags |= CLOSED;
        release(true);
        notifyClosed(code);
    }

    /** Closes now. A clean close first tries to hand buffered bytes to the kernel (without waiting). */
    void closeNow(int code, boolean flushFirst) {
        if ((flags & CLOSED) != 0) return;
        if (flushFirst && (flags & OPEN) != 0) {
            if (tls != null) tls.closeOutbound();
            if (outbox != null) flushOutbox();
            if ((flags & CLOSED) != 0) return;
            if (loop.corkedSocket == this) uncork();
            if (pending != null && pending.position() > 0) {
                pending.flip();
                try {
                    handle.write(pending);
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        } else if (loop.corkedSocket == this) {
            loop.corkedSocket = null;
            loop.corkBuffer.clear();
        }
        pending = null;
        dropOutbox();
        flags |= CLOSED;
        release(false);
        notifyClosed(code);
    }

    private void release(boolean abortive) {
        idleTimer.cancelQuietly();
        if (longTimer != null) longTimer.cancelQuietly();
        loop.unregister(this);
        if (handle != null) handle.close(abortive);
        if (tls != null) tls.release();
    }

    private void notifyClosed(int code) {
        try {
            handler.onClose(this, code);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) throw e;
            LOG.log(System.Logger.Level.WARNING, "onClose threw for " + this, e);
        }
    }

    void callbackFailed(String callback, Throwable e) {
        if (e instanceof VirtualMachineError vme) throw vme;
        LOG.log(System.Logger.Level.WARNING, callback + " threw; closing " + this, e);
        if ((flags & CLOSED) == 0) abort(CloseCode.CALLBACK_ERROR);
    }

    @Override
    void closeForLoopShutdown() {
        if ((flags & CONNECTING) != 0 || clientHandshaking()) {
            flags |= CLOSED;
            release(true);
            notifyConnectError(new IOException("loop closed before the connection was established"));
            return;
        }
        closeNow(CloseCode.LOOP_CLOSED, true);
    }

    // ------------------------------------------------------------------ timeouts

    /** Arms the idle timeout ({@link SocketHandler#onTimeout}); zero disarms. Re-arm it on activity. */
    public void timeout(Duration idle) {
        loop.checkThread("Socket.timeout");
        idleTimer.arm(idle);
    }

    /** Arms the long timeout ({@link SocketHandler#onLongTimeout}), for example a maximum lifetime; zero disarms. */
    public void longTimeout(Duration limit) {
        loop.checkThread("Socket.longTimeout");
        if (longTimer == null) {
            if (limit == null || limit.isZero() || limit.isNegative()) return;
            longTimer = new SocketTimer(true);
        }
        longTimer.arm(limit);
    }

    /** A wheel entry owned by the socket, so re-arming allocates nothing. */
    private final class SocketTimer extends TimerWheel.Entry {
        private final boolean isLong;

        SocketTimer(boolean isLong) {
            this.isLong = isLong;
        }

        void arm(Duration d) {
            if ((flags & CLOSED) != 0) return;
            if (d == null || d.isZero() || d.isNegative()) loop.wheel.cancel(this);
            else loop.wheel.arm(this, d.toNanos(), System.nanoTime());
        }

        void cancelQuietly() {
            loop.wheel.cancel(this);
        }

        @Override
        void expire() {
            if ((flags & CLOSED) != 0) return;
            if ((flags & CONNECTING) != 0 || clientHandshaking()) {
                boolean tlsPhase = (flags & CONNECTING) == 0;
                flags |= CLOSED;
                release(true);
                notifyConnectError(new SocketTimeoutException(tlsPhase ? "TLS handshake timed out" : "connect timed out"));
                return;
            }
            if (!isLong && tls != null && tls.isHandshaking()) {
                // A server-side handshake that never finishes (the handler has not seen this socket yet).
                LOG.log(System.Logger.Level.DEBUG, "TLS handshake timed out on {0}", Socket.this);
                closeNow(CloseCode.TIMEOUT, false);
                return;
            }
            try {
                if (isLong) handler.onLongTimeout(Socket.this);
                else handler.onTimeout(Socket.this);
            } catch (RuntimeException | Error e) {
                callbackFailed(isLong ? "onLongTimeout" : "onTimeout", e);
            } finally {
                loop.flushCork();
            }
        }
    }

    // ------------------------------------------------------------------ opening

    /** Accepted socket: start reading and tell the handler. */
    void opened(IoHandle h) {
        this.handle = h;
        loop.register(this);
        flags = (flags & ~CONNECTING) | OPEN;
        h.interest(Readiness.READ);
        if (context.options().tls() != null) {
            tls = new TlsLayer(this, context.tlsFactory(), null, -1);
            tls.begin();
            return; // onOpen after the handshake
        }
        notifyOpen();
    }

    void notifyOpen() {
        Socket<?> previous = loop.corkedSocket;
        if (previous != null && previous != this) previous.uncork();
        loop.corkedSocket = this;
        try {
            handler.onOpen(this, isClient(), remoteAddress());
        } catch (RuntimeException | Error e) {
            callbackFailed("onOpen", e);
        } finally {
            uncork();
        }
    }

    /** Client socket: connect started. */
    void connecting(IoHandle h, Duration timeout, String serverName, int serverPort) {
        this.handle = h;
        loop.register(this);
        if (context.options().tls() != null) tls = new TlsLayer(this, context.tlsFactory(), serverName, serverPort);
        if (timeout != null && !timeout.isZero()) idleTimer.arm(timeout);
    }

    private void onConnectReady() {
        try {
            if (!handle.finishConnect()) return;
        } catch (IOException e) {
            flags |= CLOSED;
            release(true);
            notifyConnectError(e);
            return;
        }
        if (tls == null) idleTimer.cancelQuietly(); // with TLS the connect timeout also covers the handshake
        flags = (flags & ~CONNECTING) | OPEN;
        handle.interest(Readiness.READ);
        if (tls != null) {
            tls.begin();
            return;
        }
        notifyOpen();
    }

    // ------------------------------------------------------------------ moving between loops

    /** {@link #moveTo(SocketContext, Object, ByteBuffer)} with nothing unread to carry. */
    public <T> Socket<T> moveTo(SocketContext<?, T> target, T newState) {
        return moveTo(target, newState, null);
    }

    /**
     * Hands this open connection to {@code target} (a context on another loop, or on this one): this
     * loop stops watching it without closing it and {@code target}'s loop adopts it, then calls
     * {@link SocketHandler#onAdopted} with the new socket on that loop's thread.
     *
     * <pre>{@code
     * public void onData(Socket<Void> s, ByteBuffer data) {
     *     int room = data.get(0);                             // the first byte picks a room
     *     s.moveTo(roomContexts[room], new Player(room), data); // the rest is read there
     * }
     * }</pre>
     *
     * <p>No byte is lost: what the peer sends meanwhile waits in the kernel until the target reads it;
     * {@code unread} (what this handler received but leaves to the target, may be null) is copied and
     * given to the target's {@code onData} right after {@code onAdopted}; written bytes the kernel has
     * not taken yet travel with the connection and go out first on the target. Not carried: the
     * timeouts (arm them again in onAdopted) and {@link #pauseReading()} (the target reads). Half-close
     * state carries over. This socket object is finished: its handler gets
     * {@link SocketHandler#onClose onClose} with {@link CloseCode#MOVED} (inside this call, before the
     * target loop can see the connection), and further calls see it closed.
     * Should the target context close before the adoption, the connection is closed without callbacks.
     *
     * @return the connection's socket in {@code target}: use it on the target loop, from onAdopted on
     * @throws WrongThreadException  off this socket's loop thread
     * @throws IllegalStateException when this socket is closed or not connected yet, is TLS (its
     *                               SSLEngine cannot travel), or the target is TLS, closed, or on a
     *                               loop of another transport
     */
    public <T> Socket<T> moveTo(SocketContext<?, T> target, T newState, ByteBuffer unread) {
        loop.checkThread("Socket.moveTo");
        if (target == null) throw new IllegalArgumentException("Socket.moveTo: target context is required");
        checkMovable(target);
        // The cork buffer and outbox belong to this loop: hand their bytes to the kernel now; what it
        // does not take lands in 'pending', which belongs to the socket and travels with it.
        if (outbox != null) flushOutbox();
        if (loop.corkedSocket == this) uncork();
        if ((flags & CLOSED) != 0) throw new IllegalStateException("Socket.moveTo: " + this + " failed while flushing");
        Socket<T> moved = new Socket<>(target, isClient());
        moved.state = newState;
        moved.pending = pending;
        moved.flags = (moved.flags & CLIENT) | (flags & (READ_DONE | WRITE_DONE | SHUTDOWN_PENDING));
        ByteBuffer carried = null;
        if (unread != null && unread.hasRemaining()) {
            carried = ByteBuffer.allocate(unread.remaining()).put(unread).flip();
        }
        DetachedHandle detached;
        try {
            detached = handle.detach();
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("Socket.moveTo: transport " + loop.options().transport().name()
                    + " cannot hand sockets over", e);
        }
        pending = null;
        flags |= CLOSED;
        idleTimer.cancelQuietly();
        if (longTimer != null) longTimer.cancelQuietly();
        loop.unregister(this);
        // Before the hand-off is queued: the source's clean-up happens-before the target sees the connection.
        notifyClosed(CloseCode.MOVED);
        ByteBuffer data = carried;
        try {
            target.loop().defer(() -> moved.adopt(detached, data));
        } catch (RejectedExecutionException e) {
            detached.close(); // the target loop closed in the meantime
        }
        return moved;
    }

    private void checkMovable(SocketContext<?, ?> target) {
        if ((flags & CLOSED) != 0) throw new IllegalStateException("Socket.moveTo: " + this + " is closed");
        if ((flags & OPEN) == 0) throw new IllegalStateException("Socket.moveTo: " + this + " is not connected yet");
        if (tls != null) {
            throw new IllegalStateException("Socket.moveTo: " + this + " is TLS; its SSLEngine cannot leave its loop");
        }
        if (target.options().tls() != null) throw new IllegalStateException("Socket.moveTo: the target context is TLS");
        if (target.isClosed()) throw new IllegalStateException("Socket.moveTo: the target context is closed");
        if (!loop.options().transport().supportsHandOff()) {
            throw new IllegalStateException("Socket.moveTo: transport " + loop.options().transport().name()
                    + " cannot hand sockets over");
        }
        String here = loop.options().transport().name(), there = target.loop().options().transport().name();
        if (!here.equals(there)) {
            throw new IllegalStateException("Socket.moveTo: the target loop uses transport " + there + ", this one " + here);
        }
    }

    /** Target loop: takes over a moved connection ({@code unread} may be null). */
    private void adopt(DetachedHandle detached, ByteBuffer unread) {
        if (!takeOver(detached)) return;
        flags |= OPEN;
        boolean waiting = pending != null && pending.position() > 0;
        handle.interest(Loop.interestFor((flags & READ_DONE) == 0, waiting));
        Socket<?> previous = loop.corkedSocket;
        if (previous != null && previous != this) previous.uncork();
        loop.corkedSocket = this;
        try {
            handler.onAdopted(this);
        } catch (RuntimeException | Error e) {
            callbackFailed("onAdopted", e);
        } finally {
            uncork();
        }
        if (unread == null) return;
        ByteBuffer buf = loop.readBuffer; // deliver as reads are delivered: in the loop's receive buffer
        while (unread.hasRemaining() && (flags & (CLOSED | READ_DONE)) == 0) {
            buf.clear();
            int n = Math.min(buf.remaining(), unread.remaining());
            buf.put(0, unread, unread.position(), n).limit(n);
            unread.position(unread.position() + n);
            deliverData(buf);
        }
    }

    /** Target loop: a connection another loop accepted for this one (acceptor mode). */
    void adoptAccepted(DetachedHandle detached) {
        if (takeOver(detached)) opened(handle);
    }

    /** Registers a detached handle with this loop; false (and the connection closed) when that is impossible. */
    private boolean takeOver(DetachedHandle detached) {
        if (context.isClosed()) {
            LOG.log(System.Logger.Level.DEBUG, "dropping a connection handed to a closed context on loop {0}", loop.name());
            detached.close();
            return false;
        }
        try {
            handle = loop.poller().adopt(detached, this);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "loop " + loop.name() + " could not adopt a connection", e);
            detached.close();
            return false;
        }
        loop.register(this);
        return true;
    }

    // ------------------------------------------------------------------ TLS hooks

    private boolean clientHandshaking() {
        return (flags & CLIENT) != 0 && tls != null && tls.isHandshaking();
    }

    /**
     * The TLS layer failed (its alert, if any, is already written): a client still handshaking reports
     * {@code error} to onConnectError (no onClose), any other socket closes with {@link CloseCode#TLS_ERROR}.
     */
    void tlsFailed(IOException error) {
        if ((flags & CLOSED) != 0) return;
        if (clientHandshaking()) {
            if (loop.corkedSocket == this) uncork(); // best effort: let the alert out
            flags |= CLOSED;
            pending = null;
            release(false);
            notifyConnectError(error);
            return;
        }
        closeNow(CloseCode.TLS_ERROR, true);
    }

    /** TLS: stops or restarts reading while the engine runs a delegated task, keeping the user's pause. */
    void tlsReadInterest(boolean on) {
        if ((flags & (OPEN | CLOSED)) != OPEN) return;
        boolean read = on && (flags & (READ_DONE | READ_PAUSED)) == 0;
        handle.interest(read ? handle.interest() | Readiness.READ : handle.interest() & ~Readiness.READ);
    }

    void notifyConnectError(IOException e) {
        try {
            handler.onConnectError(this, e);
        } catch (RuntimeException | Error t) {
            if (t instanceof VirtualMachineError) throw t;
            LOG.log(System.Logger.Level.WARNING, "onConnectError threw for " + this, t);
        }
    }

    // ------------------------------------------------------------------ readiness

    @Override
    void onReady(int ops) {
        if ((flags & CLOSED) != 0) return;
        if ((flags & CONNECTING) != 0) {
            if ((ops & (Readiness.CONNECT | Readiness.WRITE)) != 0) onConnectReady();
            return;
        }
        if ((ops & Readiness.WRITE) != 0) {
            onWritableReady();
            if ((flags & CLOSED) != 0) return;
        }
        if ((ops & Readiness.READ) != 0 && (flags & (READ_DONE | READ_PAUSED)) == 0) onReadable();
    }

    @Override
    public String toString() {
        return "Socket[" + (isClient() ? "client " : "") + remoteAddress() + (isClosed() ? ", closed" : "") + "]";
    }
}

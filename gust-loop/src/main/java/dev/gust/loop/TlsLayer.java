package dev.gust.loop;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * The TLS record layer between a {@link Socket} and the wire, on the JDK's {@link SSLEngine}.
 *
 * <p>Inbound: ciphertext arrives in the loop's read buffer and is decrypted into the loop's shared
 * plaintext buffer, which goes to {@link Socket#deliverData}. A record cut by the end of a read is
 * kept in {@link #leftover} (per socket, only while partial). Outbound: application writes are
 * encrypted into the loop's shared wire buffer and handed to {@link Socket#writeWire}, so corking,
 * backpressure and the buffer limit apply to ciphertext. Steady state allocates nothing.
 *
 * <p>Handshake: never blocks the loop. Delegated tasks run on {@link TlsTasks} while this socket
 * stops reading; the loop resumes it through {@link Loop#defer}. {@code onOpen} fires once the
 * handshake is done; writes made before that are held (bounded by {@code maxBufferedBytes}) and
 * sent first. A failure closes the socket with {@link CloseCode#TLS_ERROR}, or for a client still
 * handshaking reports the {@link SSLException} to {@code onConnectError}.
 *
 * <p>Server SNI: with {@link TlsOptions#sni()}, the first record is buffered and the ClientHello's
 * server name read ({@link ClientHelloSni}) before the engine is created from the chosen context.
 */
final class TlsLayer {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.tls");
    /** How long a server-side handshake may take; clients use their connect timeout instead. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Records encrypted before one hand-over to the wire: fewer, larger writes. */
    private static final int RECORDS_PER_WRITE = 8;
    /** Larger record lengths are invalid: let the engine reject them instead of waiting for them. */
    private static final int MAX_RECORD = 5 + 16384 + 2048;
    /** Results of {@link #unwrapFrom}. */
    private static final int DRAINED = 0, PARTIAL = 1, STOPPED = 2;

    private final Socket<?> socket;
    private final TlsBuffers buffers;
    private final TlsFactory factory;
    private final String serverName;
    private final int serverPort;
    private final ByteBuffer[] sources = new ByteBuffer[2];
    private SSLEngine engine;
    private int appBufferSize, packetBufferSize;
    /** Ciphertext not unwrapped yet (a partial record, or what came during a task); write mode; null when none. */
    private ByteBuffer leftover;
    /** Plaintext written before the handshake finished (or while a task runs); write mode; null when none. */
    private ByteBuffer held;
    private boolean handshakeDone, taskRunning, inboundDone, outboundClosed, failed, wireEnded;
    private String protocol;

    TlsLayer(Socket<?> socket, TlsFactory factory, String serverName, int serverPort) {
        this.socket = socket;
        this.buffers = socket.loop.tlsBuffers();
        this.factory = factory;
        this.serverName = serverName;
        this.serverPort = serverPort;
    }

    // ------------------------------------------------------------------ hooks called by Socket

    /** The TCP connection is established: start the handshake. */
    void begin() {
        if (!socket.isClient()) socket.timeout(HANDSHAKE_TIMEOUT);
        if (factory.needsServerName()) return; // the engine comes once the ClientHello names the server
        try {
            start(socket.isClient() ? factory.clientEngine(serverName, serverPort) : factory.serverEngine(null));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Ciphertext arrived (in the loop's read buffer, read mode). */
    void onWireData(ByteBuffer wire) {
        if (socket.isClosed() || inboundDone || failed) return; // nothing counts after close_notify
        try {
            if (engine == null) {
                stash(wire);
                if (!chooseServerEngine()) return;
            }
            if (taskRunning) {
                stash(wire);
                return;
            }
            int result = DRAINED;
            while (leftover != null) {
                topUp(wire);
                leftover.flip();
                result = unwrapFrom(leftover);
                if (socket.isClosed()) return;
                leftover.compact();
                if (leftover.position() == 0) dropLeftover();
                else if (result != PARTIAL || !wire.hasRemaining()) break;
            }
            if (leftover == null && result != STOPPED) unwrapFrom(wire);
            if (socket.isClosed()) return;
            if (inboundDone) {
                dropLeftover();
                return;
            }
            if (wire.hasRemaining()) stash(wire);
            flushHeld();
        } catch (SSLException | RuntimeException e) {
            fail(e);
        }
    }

    /** The peer's FIN arrived. Without a close_notify first it still ends the stream (logged). */
    void onWireEnd() {
        if (socket.isClosed() || failed) return;
        if (taskRunning) {
            wireEnded = true; // handled once the task is done, after the bytes that came before the FIN
            return;
        }
        if (!handshakeDone) {
            fail(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
            return;
        }
        if (!inboundDone) {
            // Not engine.closeInbound(): that kills the engine, and we may still want to write (half-close).
            inboundDone = true;
            LOG.log(System.Logger.Level.DEBUG, "{0}: FIN without close_notify", socket);
        }
        socket.onPeerEnd();
    }

    /** Encrypts and writes application data; held until the handshake is done. */
    boolean writeApplicationData(ByteBuffer first, ByteBuffer second, boolean more) {
        if (failed || outboundClosed) {
            drop(first, second);
            return false;
        }
        if (!handshakeDone || taskRunning || held != null) return hold(first, second);
        try {
            return wrapAndSend(first, second, more);
        } catch (SSLException | RuntimeException e) {
            drop(first, second);
            fail(e);
            return false;
        }
    }

    /** Sends close_notify (before the socket's FIN). */
    void closeOutbound() {
        if (outboundClosed || failed || engine == null || socket.isClosed()) return;
        try {
            flushHeld();
            outboundClosed = true;
            engine.closeOutbound();
            ByteBuffer out = wireBuffer();
            out.clear();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                if (engine.wrap(EMPTY, out).bytesProduced() == 0) break;
            }
            send(out, false);
        } catch (SSLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: could not send close_notify: {1}", socket, e.toString());
        }
    }

    /** The wire drained; true while handshaking, so the handler sees no onWritable before onOpen. */
    boolean onWireDrained() {
        return !handshakeDone;
    }

    void release() {
        dropLeftover();
        held = null;
    }

    String applicationProtocol() {
        return protocol;
    }

    SSLSession session() {
        return engine == null ? null : engine.getSession();
    }

    boolean isHandshaking() {
        return !handshakeDone;
    }

    /** Plaintext waiting for the handshake (counted in {@link Socket#bufferedAmount()}). */
    long heldBytes() {
        return held == null ? 0 : held.position();
    }

    // ------------------------------------------------------------------ handshake

    private void start(SSLEngine e) {
        engine = e;
        SSLSession session = e.getSession();
        appBufferSize = session.getApplicationBufferSize();
        packetBufferSize = session.getPacketBufferSize();
        try {
            e.beginHandshake();
            advance(e.getHandshakeStatus());
        } catch (SSLException | RuntimeException x) {
            fail(x);
        }
    }

    /** Server with an SNI selector: creates the engine once the first record shows the requested name. */
    private boolean chooseServerEngine() {
        String name = ClientHelloSni.serverName(leftover.duplicate().flip());
        if (name == null) return false; // wait for the rest of the first record (at most ~18 KB)
        start(factory.serverEngine(name.isEmpty() ? null : name));
        return !socket.isClosed();
    }

    /** Runs the handshake steps that need no new ciphertext; false when a task now runs or the socket closed. */
    private boolean advance(HandshakeStatus status) throws SSLException {
        HandshakeStatus hs = status;
        while (!socket.isClosed()) {
            switch (hs) {
                case NEED_TASK -> {
                    startTasks();
                    return false;
                }
                case NEED_WRAP -> hs = wrapHandshake();
                case FINISHED -> {
                    handshakeFinished();
                    hs = engine.getHandshakeStatus();
                    if (hs == HandshakeStatus.NOT_HANDSHAKING) return !socket.isClosed();
                }
                case NOT_HANDSHAKING -> {
                    // Some paths end the handshake without reporting FINISHED (a task did the last step).
                    if (!handshakeDone && !engine.isInboundDone() && !engine.isOutboundDone()) handshakeFinished();
                    return !socket.isClosed();
                }
                default -> {
                    return true; // NEED_UNWRAP: wait for ciphertext
                }
            }
        }
        return false;
    }

    /** Wraps handshake messages (as many records as fit) and writes them; returns the next status. */
    private HandshakeStatus wrapHandshake() throws SSLException {
        ByteBuffer out = wireBuffer();
        out.clear();
        SSLEngineResult r;
        while (true) {
            r = engine.wrap(EMPTY, out);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) throw new SSLException("TLS record larger than the wire buffer");
                send(out, false);
                continue;
            }
            if (r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP || r.getStatus() == Status.CLOSED) break;
            if (r.bytesProduced() == 0) throw new SSLException("TLS engine made no progress wrapping a handshake message");
        }
        send(out, false);
        return r.getHandshakeStatus();
    }

    private void handshakeFinished() throws SSLException {
        if (handshakeDone) return;
        handshakeDone = true;
        String p = engine.getApplicationProtocol();
        protocol = p == null || p.isEmpty() ? null : p;
        socket.timeout(Duration.ZERO); // the handshake (or connect) timeout is over; the handler owns it now
        LOG.log(System.Logger.Level.DEBUG, "{0}: TLS handshake done, {1}, ALPN {2}", socket,
                engine.getSession().getProtocol(), protocol);
        flushHeld();
        if (!socket.isClosed()) socket.notifyOpen();
    }

    private void startTasks() {
        taskRunning = true;
        socket.tlsReadInterest(false);
        TlsTasks.run(engine, () -> {
            try {
                socket.loop.defer(this::tasksDone);
            } catch (RejectedExecutionException loopClosed) {
                // the loop closed this socket with itself
            }
        });
    }

    /** Back on the loop after the delegated tasks: continue the handshake, then what arrived meanwhile. */
    private void tasksDone() {
        taskRunning = false;
        if (socket.isClosed()) return;
        socket.tlsReadInterest(true);
        try {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_UNWRAP && leftover == null) {
                // A task's failure (an untrusted certificate, say) surfaces on the next engine call.
                ByteBuffer plain = buffers.plain(appBufferSize);
                plain.clear();
                hs = engine.unwrap(EMPTY, plain).getHandshakeStatus();
            }
            if (!advance(hs)) return;
        } catch (SSLException | RuntimeException e) {
            fail(e);
            return;
        }
        onWireData(EMPTY); // unwraps what waited in leftover, sends held writes
        if (wireEnded && !taskRunning) onWireEnd();
    }

    // ------------------------------------------------------------------ inbound

    /** Unwraps complete records from {@code src} and delivers the plaintext. */
    private int unwrapFrom(ByteBuffer src) throws SSLException {
        ByteBuffer plain = buffers.plain(appBufferSize);
        plain.clear();
        int idle = 0;
        try {
            while (src.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(src, plain);
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        deliver(plain);
                        return PARTIAL;
                    }
                    case BUFFER_OVERFLOW -> {
                        boolean empty = plain.position() == 0;
                        deliver(plain);
                        if (socket.isClosed()) return STOPPED;
                        int needed = engine.getSession().getApplicationBufferSize();
                        if (empty && needed <= plain.capacity()) throw new SSLException("TLS record does not fit the plaintext buffer");
                        appBufferSize = Math.max(appBufferSize, needed);
                        plain = buffers.plain(appBufferSize);
                        plain.clear();
                        continue;
                    }
                    case CLOSED -> {
                        deliver(plain);
                        if (!socket.isClosed()) peerClosed(r.getHandshakeStatus());
                        return STOPPED;
                    }
                    default -> { }
                }
                if (plain.remaining() < appBufferSize) deliver(plain);
                if (socket.isClosed()) return STOPPED;
                if (!advance(r.getHandshakeStatus())) {
                    deliver(plain);
                    return STOPPED;
                }
                idle = r.bytesConsumed() == 0 && r.bytesProduced() == 0 ? idle + 1 : 0;
                if (idle > 1) break; // the engine wants something else first; never spin
            }
            deliver(plain);
            return src.hasRemaining() ? STOPPED : DRAINED;
        } catch (SSLException e) {
            deliver(plain); // what was decrypted before the bad record still counts
            throw e;
        }
    }

    private void deliver(ByteBuffer plain) {
        if (plain.position() == 0) return;
        plain.flip();
        socket.deliverData(plain);
        plain.clear();
    }

    /** The peer's close_notify: its stream ended (onEnd semantics). */
    private void peerClosed(HandshakeStatus hs) throws SSLException {
        inboundDone = true;
        if (!handshakeDone) throw new SSLHandshakeException("the peer closed the TLS session during the handshake");
        advance(hs); // TLS 1.2 answers with its own close_notify
        if (!socket.isClosed()) socket.onPeerEnd();
    }

    /** Moves into {@link #leftover} just enough of {@code wire} to complete the record it starts. */
    private void topUp(ByteBuffer wire) {
        int missing;
        while ((missing = missingRecordBytes()) > 0 && wire.hasRemaining()) {
            int n = Math.min(missing, wire.remaining());
            ensureLeftover(n);
            int limit = wire.limit();
            wire.limit(wire.position() + n);
            leftover.put(wire);
            wire.limit(limit);
        }
    }

    private int missingRecordBytes() {
        int have = leftover.position();
        if (have < 5) return 5 - have;
        int length = 5 + (((leftover.get(3) & 0xff) << 8) | (leftover.get(4) & 0xff));
        return length > MAX_RECORD ? 0 : Math.max(0, length - have);
    }

    private void stash(ByteBuffer wire) {
        if (!wire.hasRemaining()) return;
        ensureLeftover(wire.remaining());
        leftover.put(wire);
    }

    private void ensureLeftover(int extra) {
        if (leftover == null) {
            leftover = buffers.takeRecord(Math.max(extra, packetBufferSize));
        } else if (leftover.remaining() < extra) {
            // Only while a task runs (or the SNI peek waits) can more than a record pile up.
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(leftover.capacity() * 2, leftover.position() + extra));
            bigger.put(leftover.flip());
            buffers.giveBack(leftover);
            leftover = bigger;
        }
    }

    private void dropLeftover() {
        if (leftover != null) buffers.giveBack(leftover);
        leftover = null;
    }

    // ------------------------------------------------------------------ outbound

    private boolean wrapAndSend(ByteBuffer first, ByteBuffer second, boolean more) throws SSLException {
        sources[0] = first;
        sources[1] = second;
        int count = second == null ? 1 : 2;
        boolean ok = true;
        try {
            while (first.hasRemaining() || (second != null && second.hasRemaining())) {
                if (socket.isClosed()) {
                    drop(first, second);
                    return false;
                }
                ByteBuffer out = wireBuffer();
                out.clear();
                boolean stalled = false;
                while (out.remaining() >= packetBufferSize && (first.hasRemaining() || (second != null && second.hasRemaining()))) {
                    SSLEngineResult r = engine.wrap(sources, 0, count, out);
                    if (r.getStatus() == Status.CLOSED) {
                        // TLS 1.2 closed our side when the peer's close_notify came: nothing more can be sent.
                        send(out, more);
                        drop(first, second);
                        return false;
                    }
                    if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                        if (out.position() == 0) throw new SSLException("TLS record larger than the wire buffer");
                        break;
                    }
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        stalled = true;
                        break;
                    }
                }
                ok &= send(out, more);
                if (stalled) {
                    // Post-handshake work (a task, a renegotiation) comes first: keep the rest until it is done.
                    boolean accepted = hold(first, second);
                    if (!socket.isClosed()) advance(engine.getHandshakeStatus());
                    return ok && accepted;
                }
            }
        } finally {
            sources[0] = sources[1] = null;
        }
        return ok && !socket.isClosed();
    }

    /** Sends plaintext held during the handshake or a task, once the engine can take it. */
    private void flushHeld() throws SSLException {
        if (held == null || !handshakeDone || taskRunning || socket.isClosed()) return;
        ByteBuffer h = held;
        held = null;
        wrapAndSend(h.flip(), null, false);
    }

    private boolean hold(ByteBuffer first, ByteBuffer second) {
        int size = first.remaining() + (second == null ? 0 : second.remaining());
        if (size == 0) return true;
        long max = socket.context.options().maxBufferedBytes();
        if (socket.bufferedAmount() + size > max) {
            drop(first, second);
            LOG.log(System.Logger.Level.INFO, "closing {0}: {1} bytes written before the TLS handshake finished exceed maxBufferedBytes {2}",
                    socket, socket.bufferedAmount() + size, max);
            socket.abort(CloseCode.BACKPRESSURE_LIMIT);
            return false;
        }
        if (held == null) {
            held = ByteBuffer.allocate(Math.max(size, 4096));
        } else if (held.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(held.capacity() * 2L, (long) held.position() + size)));
            bigger.put(held.flip());
            held = bigger;
        }
        held.put(first);
        if (second != null) held.put(second);
        return true;
    }

    private ByteBuffer wireBuffer() {
        return buffers.wire(RECORDS_PER_WRITE * packetBufferSize);
    }

    /** Hands the wrapped records in {@code out} to the socket (which takes all of them) and clears it. */
    private boolean send(ByteBuffer out, boolean more) {
        out.flip();
        boolean ok = true;
        if (out.hasRemaining() && !socket.isClosed()) ok = socket.writeWire(out, null, more);
        out.clear();
        return ok;
    }

    private static void drop(ByteBuffer first, ByteBuffer second) {
        first.position(first.limit());
        if (second != null) second.position(second.limit());
    }

    // ------------------------------------------------------------------ failure

    private void fail(Exception e) {
        if (failed || socket.isClosed()) return;
        failed = true;
        LOG.log(System.Logger.Level.INFO, "TLS {0} failed with {1} ({2}): {3}", handshakeDone ? "session" : "handshake",
                socket.remoteAddress(), socket.isClient() ? "client" : "server",
                e.getMessage() != null ? e.getMessage() : e.toString());
        if (engine != null) sendAlert();
        socket.tlsFailed(e instanceof SSLException ssl ? ssl : new SSLException(e.toString(), e));
    }

    /** Best effort: after a failure the engine has the alert ready to wrap. */
    private void sendAlert() {
        try {
            ByteBuffer out = wireBuffer();
            out.clear();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                if (engine.wrap(EMPTY, out).bytesProduced() == 0) break;
            }
            send(out, false);
        } catch (SSLException | RuntimeException ignored) {
            // closing anyway
        }
    }
}

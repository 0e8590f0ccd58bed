package dev.gust.loop;

import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket owned by one loop thread.
 *
 * <p>Receiving: on each readiness event up to {@link UdpOptions#receiveBatch()} datagrams are read
 * into the loop's shared receive buffer and handed to {@link UdpHandler#onData}. Datagrams longer
 * than {@link LoopOptions#readBufferSize()} are truncated.
 *
 * <p>Sending: {@link #send} hands the datagram to the kernel at once. When the kernel refuses it
 * (its buffer is full) the datagram is copied into a send queue (bounded by
 * {@link UdpOptions#maxQueuedBytes()}; past it, sends are dropped as UDP allows), which goes out in
 * order when the socket is writable; then {@link UdpHandler#onDrain} fires.
 *
 * <pre>{@code
 * Loop loop = Loop.create();
 * UdpSocket server = UdpSocket.bind(loop, "127.0.0.1", 9000, (udp, payload, from) -> udp.send(payload, from));
 * UdpSocket client = UdpSocket.bind(loop, "127.0.0.1", 0, (udp, payload, from) -> System.out.println("echoed"));
 * client.connect(server.localAddress());           // only the server's datagrams are received now
 * client.send(ByteBuffer.wrap("ping".getBytes()));
 * loop.run();
 * }</pre>
 *
 * <p>All methods are loop-thread only (they throw {@link WrongThreadException} otherwise). Closing
 * the loop closes its UDP sockets ({@link UdpHandler#onClose} with {@link CloseCode#LOOP_CLOSED}).
 */
public final class UdpSocket extends LoopResource {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.UdpSocket");
    private static final int SENT = 0, REFUSED = 1, FAILED = 2;

    private final Loop loop;
    private final UdpHandler handler;
    private final UdpOptions options;
    private final DatagramQueue queue;
    private DatagramHandle handle;
    private InetSocketAddress remote;
    private boolean closed, watchingWritable;

    private UdpSocket(Loop loop, UdpHandler handler, UdpOptions options) {
        this.loop = loop;
        this.handler = handler;
        this.options = options;
        this.queue = new DatagramQueue(options.maxQueuedBytes());
    }

    /** Binds {@code host:port} (port 0 picks a free one) with {@link UdpOptions#defaults()}. */
    public static UdpSocket bind(Loop loop, String host, int port, UdpHandler handler) {
        return bind(loop, host, port, UdpOptions.defaults(), handler);
    }

    /**
     * Binds {@code host:port} (null or empty host: all interfaces) and starts receiving.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static UdpSocket bind(Loop loop, String host, int port, UdpOptions options, UdpHandler handler) {
        loop.checkThread("UdpSocket.bind");
        if (handler == null) throw new IllegalArgumentException("handler is required");
        if (loop.isClosed()) throw new IllegalStateException("loop '" + loop.name() + "' is closed");
        InetSocketAddress address = SocketContext.resolve(host, port);
        UdpSocket udp = new UdpSocket(loop, handler, options);
        try {
            udp.handle = loop.poller().openDatagram(address, options.reusePort(), udp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP " + address + ": " + e.getMessage(), e);
        }
        udp.handle.interest(Readiness.READ);
        loop.register(udp);
        return udp;
    }

    public Loop loop() {
        return loop;
    }

    /** The bound address (with the chosen port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return handle.localAddress();
    }

    public int port() {
        return handle.localAddress().getPort();
    }

    /** The connected peer, or null. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Datagrams waiting in the send queue. */
    public int queuedDatagrams() {
        return queue.size();
    }

    /** Payload bytes waiting in the send queue. */
    public long queuedBytes() {
        return queue.bytes();
    }

    // ------------------------------------------------------------------ sending

    /** Sends {@code payload} to the connected peer; see {@link #send(ByteBuffer, InetSocketAddress)}. */
    public boolean send(ByteBuffer payload) {
        return send(payload, null);
    }

    /**
     * Sends one datagram, consuming {@code payload}.
     *
     * @param to the destination; null (or the peer) when connected
     * @return true when the kernel took it now; false when it waits in the send queue (until
     * {@link UdpHandler#onDrain}), or was dropped because the queue is full, the send failed or
     * the socket is closed
     * @throws IllegalArgumentException when connected and {@code to} is another address
     * @throws IllegalStateException when not connected and {@code to} is null
     */
    public boolean send(ByteBuffer payload, InetSocketAddress to) {
        loop.checkThread("UdpSocket.send");
        return sendOne(payload, to);
    }

    /**
     * Sends {@code payloads[i]} to {@code targets[i]} (all consumed). With {@code targets == null}
     * every datagram goes to the connected peer. Refused datagrams are queued as with {@link #send}.
     *
     * @return how many the kernel took now
     */
    public int sendBatch(ByteBuffer[] payloads, InetSocketAddress[] targets) {
        loop.checkThread("UdpSocket.sendBatch");
        if (targets != null && targets.length < payloads.length) {
            throw new IllegalArgumentException("fewer targets (" + targets.length + ") than payloads (" + payloads.length + ")");
        }
        int sent = 0;
        for (int i = 0; i < payloads.length; i++) {
            if (sendOne(payloads[i], targets == null ? null : targets[i])) sent++;
        }
        return sent;
    }

    private boolean sendOne(ByteBuffer payload, InetSocketAddress to) {
        if (closed) {
            payload.position(payload.limit());
            return false;
        }
        InetSocketAddress destination = destination(to);
        if (queue.isEmpty()) {
            int result = trySend(payload, destination);
            if (result != REFUSED) return result == SENT;
        }
        // Refused now, or behind refused ones (order is kept): queue it.
        if (!queue.add(payload, destination)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: send queue full ({1} bytes), datagram to {2} dropped",
                    this, queue.bytes(), destination);
        }
        watchWritable(true);
        return false;
    }

    private InetSocketAddress destination(InetSocketAddress to) {
        if (remote == null) {
            if (to == null) throw new IllegalStateException("UdpSocket.send: not connected, so a target is required");
            return to;
        }
        if (to != null && !to.equals(remote)) {
            throw new IllegalArgumentException("UdpSocket.send: connected to " + remote + ", cannot send to " + to);
        }
        return remote;
    }

    private int trySend(ByteBuffer payload, InetSocketAddress destination) {
        try {
            // A connected channel sends with write(): no per-datagram address lookup.
            return handle.send(payload, destination.equals(remote) ? null : destination) ? SENT : REFUSED;
        } catch (IOException e) {
            // For example a connected peer's ICMP "port unreachable" reported on this send.
            LOG.log(System.Logger.Level.DEBUG, "{0}: send to {1} failed: {2}", this, destination, e.toString());
            payload.position(payload.limit());
            return FAILED;
        }
    }

    /** Writable: send what the kernel refused before, in order; then tell the handler. */
    private void flushQueue() {
        DatagramQueue.Entry e;
        while ((e = queue.peek()) != null) {
            if (trySend(e.payload(), e.target()) == REFUSED) return; // still full: keep watching
            queue.removeFirst();
        }
        watchWritable(false);
        try {
            handler.onDrain(this);
        } catch (RuntimeException | Error t) {
            callbackFailed("onDrain", t);
        }
    }

    private void watchWritable(boolean on) {
        if (watchingWritable == on || closed) return;
        watchingWritable = on;
        handle.interest(Readiness.READ | (on ? Readiness.WRITE : 0));
    }

    // ------------------------------------------------------------------ connecting

    /**
     * Connects to {@code peer}: only its datagrams are received from now on, and {@link #send(ByteBuffer)}
     * goes to it. Queued datagrams for other destinations are dropped.
     *
     * @throws UncheckedIOException when the kernel refuses (for example an unreachable network)
     */
    public void connect(InetSocketAddress peer) {
        loop.checkThread("UdpSocket.connect");
        checkOpen();
        if (peer == null) throw new IllegalArgumentException("peer is required; use disconnect()");
        try {
            handle.connect(peer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect UDP " + localAddress() + " to " + peer + ": " + e.getMessage(), e);
        }
        remote = peer;
        queue.retainTarget(peer);
    }

    /** Undoes {@link #connect}: datagrams from anyone are received again. */
    public void disconnect() {
        loop.checkThread("UdpSocket.disconnect");
        checkOpen();
        if (remote == null) return;
        try {
            handle.connect(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot disconnect UDP " + localAddress() + ": " + e.getMessage(), e);
        }
        remote = null;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("UDP socket is closed");
    }

    // ------------------------------------------------------------------ receiving

    /** Hands the datagrams of one readiness event to the handler (native transports fetch them in batches). */
    private void receiveBatch() {
        try {
            handle.receiveMany(loop.readBuffer, options.receiveBatch(), deliver);
        } catch (IOException e) {
            // A connected peer's ICMP error surfaces here; the socket itself is fine.
            LOG.log(System.Logger.Level.DEBUG, "{0}: receive failed: {1}", this, e.toString());
        }
        // Fewer than the batch means drained; the rest of a full batch waits for the next readiness.
    }

    /** One object for the socket's life: receiving allocates nothing per datagram. */
    private final dev.gust.loop.spi.DatagramHandle.Sink deliver = this::deliver;

    private boolean deliver(ByteBuffer data, InetSocketAddress from) {
        try {
            handler.onData(this, data, from);
        } catch (RuntimeException | Error t) {
            callbackFailed("onData", t);
        }
        return !closed;
    }

    // ------------------------------------------------------------------ closing

    /** Closes the socket; queued datagrams are dropped; {@link UdpHandler#onClose} gets {@link CloseCode#CLEAN}. */
    public void close() {
        loop.checkThread("UdpSocket.close");
        closeWith(CloseCode.CLEAN);
    }

    private void closeWith(int code) {
        if (closed) return;
        closed = true;
        loop.unregister(this);
        handle.close();
        queue.clear();
        try {
            handler.onClose(this, code);
        } catch (RuntimeException | Error t) {
            if (t instanceof VirtualMachineError vme) throw vme;
            LOG.log(System.Logger.Level.WARNING, "onClose threw for " + this, t);
        }
    }

    private void callbackFailed(String callback, Throwable t) {
        if (t instanceof VirtualMachineError vme) throw vme;
        LOG.log(System.Logger.Level.WARNING, callback + " threw for " + this + "; the socket carries on", t);
    }

    @Override
    void onReady(int readyOps) {
        if (closed) return;
        if ((readyOps & Readiness.WRITE) != 0) flushQueue();
        if ((readyOps & Readiness.READ) != 0 && !closed) receiveBatch();
    }

    @Override
    void closeForLoopShutdown() {
        closeWith(CloseCode.LOOP_CLOSED);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + (handle == null ? "?" : handle.localAddress()) + (remote == null ? "" : " -> " + remote)
                + (closed ? ", closed" : "") + "]";
    }
}

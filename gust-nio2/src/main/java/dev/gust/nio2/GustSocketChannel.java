package dev.gust.nio2;

import dev.gust.loop.CloseCode;
import dev.gust.loop.ConnectOptions;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.Timer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AsynchronousSocketChannel} on a Gust socket. The socket belongs to one loop; operations
 * may be started from any thread and their handlers run on that loop.
 *
 * <p>Reading: nothing is read while no read is pending (the socket's reading is paused, so a slow
 * program backs up into the kernel, not into memory). When data arrives for a pending read it is
 * copied straight from the loop's receive buffer into the program's buffer; what does not fit is
 * kept (at most one receive buffer, {@value GustChannelGroup#READ_BUFFER_SIZE} bytes) for the next
 * read. Writing: a write completes when Gust has taken its bytes without backpressure; otherwise it
 * completes when they are out (so at most one write's worth waits per channel), and at most
 * {@value #MAX_WRITE} bytes are taken per write.
 */
final class GustSocketChannel extends AsynchronousSocketChannel implements GustChannel {
    static final int MAX_WRITE = 1 << 20;
    private static final int UNCONNECTED = 0, CONNECTING = 1, CONNECTED = 2;
    private static final ConnectOptions NO_CONNECT_TIMEOUT = ConnectOptions.defaults().withTimeout(Duration.ZERO);

    private final GustChannelGroup group;
    private final LoopSlot slot;
    private final Loop loop;
    private final ChannelOptions options = new ChannelOptions(ChannelOptions.CLIENT);
    private final Object lock = new Object();

    // Any thread (guarded by lock or volatile).
    private volatile boolean open = true;
    private volatile int connectState;
    private volatile boolean inputShutdown, outputShutdown;
    private volatile InetSocketAddress localAddress, remoteAddress, boundAddress;
    private boolean readPending, writePending, readRefused, writeRefused;

    // Loop thread only.
    private Socket<GustSocketChannel> socket;
    private boolean eof;
    private String brokenReason; // the socket failed under us (reset, write error)
    private ByteBuffer stash;    // received bytes the last read had no room for; write mode
    private InetSocketAddress connectTo;
    private CompletionHandler<Object, Object> connectHandler;
    private Object connectAttachment;

    private final Op read = new Op(true), write = new Op(false);
    private final Runnable startConnect = this::connectOnLoop, startRead = this::readOnLoop,
            startWrite = this::writeOnLoop, closeOnLoop = this::closeOnLoop;

    /** A client channel, not connected yet. */
    GustSocketChannel(AsynchronousChannelProvider provider, GustChannelGroup group) {
        super(provider);
        this.group = group;
        this.slot = group.nextSlot();
        this.loop = slot.loop;
        group.register(this);
    }

    /** An accepted channel (loop thread of {@code slot}). */
    GustSocketChannel(AsynchronousChannelProvider provider, GustChannelGroup group, LoopSlot slot,
                      Socket<GustSocketChannel> socket) {
        super(provider);
        this.group = group;
        this.slot = slot;
        this.loop = slot.loop;
        this.socket = socket;
        this.connectState = CONNECTED;
        this.localAddress = socket.localAddress();
        this.remoteAddress = socket.remoteAddress();
        socket.state(this);
        group.register(this);
    }

    LoopSlot slot() {
        return slot;
    }

    // ------------------------------------------------------------------ one pending read or write

    /** The state of the pending read or write; reused, so steady-state I/O allocates nothing here. */
    private final class Op {
        final boolean isRead;
        boolean scatter, waiting;
        ByteBuffer single;
        ByteBuffer[] buffers;
        int offset, length;
        long timeoutNanos, taken;
        CompletionHandler<Object, Object> handler;
        Object attachment;
        Timer timer;

        Op(boolean isRead) {
            this.isRead = isRead;
        }

        /** Takes a new operation's arguments (the caller made it the only pending one). */
        @SuppressWarnings("unchecked")
        void prepare(boolean multi, ByteBuffer one, ByteBuffer[] many, int from, int count, long timeout, TimeUnit unit,
                     Object attached, CompletionHandler<?, ?> completion) {
            scatter = multi;
            single = one;
            buffers = many;
            offset = from;
            length = count;
            timeoutNanos = timeout > 0 ? unit.toNanos(timeout) : 0;
            attachment = attached;
            handler = (CompletionHandler<Object, Object>) completion;
        }

        int count() {
            return scatter ? length : 1;
        }

        ByteBuffer buffer(int i) {
            return scatter ? buffers[offset + i] : single;
        }

        long remaining() {
            long n = 0;
            for (int i = 0, c = count(); i < c; i++) n += buffer(i).remaining();
            return n;
        }

        void armTimer() {
            if (timeoutNanos <= 0) return;
            if (timer == null) timer = loop.timer(isRead ? GustSocketChannel.this::onReadTimeout
                    : GustSocketChannel.this::onWriteTimeout);
            timer.schedule(Duration.ofNanos(timeoutNanos));
        }

        void clear() {
            waiting = false;
            if (timer != null && timer.isActive()) timer.cancel();
            single = null;
            buffers = null;
            handler = null;
            attachment = null;
        }

        /** Completes with {@code n} bytes (Integer, or Long for scatter/gather). */
        void complete(long n) {
            if (!open) { // closed by another thread meanwhile: the JDK reports the close, not the result
                fail(new AsynchronousCloseException());
                return;
            }
            CompletionHandler<Object, Object> h = handler;
            Object a = attachment;
            boolean asLong = scatter;
            clear();
            unmarkPending(isRead);
            slot.completed(GustSocketChannel.this, h, asLong ? (Object) n : (Object) (int) n, a);
        }

        void fail(Throwable error) {
            CompletionHandler<Object, Object> h = handler;
            Object a = attachment;
            clear();
            unmarkPending(isRead);
            slot.failed(GustSocketChannel.this, h, error, a);
        }

        boolean active() {
            return handler != null;
        }
    }

    private void unmarkPending(boolean isRead) {
        synchronized (lock) {
            if (isRead) readPending = false;
            else writePending = false;
        }
    }

    // ------------------------------------------------------------------ bind, options, addresses

    /**
     * Records the local address to connect from. gust-loop connects from a source host with an
     * ephemeral port only, so a non-zero port is refused with {@link BindException}.
     */
    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        InetSocketAddress isa = local == null ? new InetSocketAddress(0) : checkAddress(local);
        synchronized (lock) {
            if (!open) throw new ClosedChannelException();
            if (connectState != UNCONNECTED) throw new AlreadyConnectedException();
            if (boundAddress != null) throw new AlreadyBoundException();
            if (isa.getPort() != 0) {
                throw new BindException("gust-nio2: binding a client channel to a fixed port (" + isa.getPort()
                        + ") is not supported; bind to port 0");
            }
            boundAddress = isa;
        }
        return this;
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        if (!open) throw new ClosedChannelException();
        options.set(name, value); // validates like the JDK; a socket opened later gets it on connect
        LoopSlot.await(loop, () -> {
            Socket<GustSocketChannel> s = socket;
            if (s != null && !s.isClosed()) s.setOption(name, value);
            return null;
        });
        return this;
    }

    /** The kernel's value while the channel has its Gust socket, else the value set (or the default). */
    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (!open) throw new ClosedChannelException();
        T recorded = options.get(name); // validates
        T real = LoopSlot.await(loop, () -> {
            Socket<GustSocketChannel> s = socket;
            return s != null && !s.isClosed() ? s.getOption(name) : null;
        });
        return real != null ? real : recorded;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        if (!open) throw new ClosedChannelException();
        InetSocketAddress a = localAddress;
        return a != null ? a : boundAddress;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        if (!open) throw new ClosedChannelException();
        return remoteAddress;
    }

    static InetSocketAddress checkAddress(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        return isa;
    }

    // ------------------------------------------------------------------ connect

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!open) {
            slot.failed(this, handler, new ClosedChannelException(), attachment);
            return;
        }
        InetSocketAddress isa = checkAddress(remote);
        synchronized (lock) {
            if (connectState == CONNECTED) throw new AlreadyConnectedException();
            if (connectState == CONNECTING) throw new ConnectionPendingException();
            connectState = CONNECTING;
        }
        @SuppressWarnings("unchecked") CompletionHandler<Object, Object> h = (CompletionHandler<Object, Object>) (CompletionHandler<?, ?>) handler;
        connectTo = isa;
        connectHandler = h;
        connectAttachment = attachment;
        if (!slot.run(startConnect)) failConnect(new AsynchronousCloseException());
    }

    @Override
    public Future<Void> connect(SocketAddress remote) {
        OpFuture<Void> f = new OpFuture<>((future, interrupt) -> {
            if (interrupt) closeQuietly();
        });
        connect(remote, f, OpFuture.handler());
        return f;
    }

    private void connectOnLoop() {
        if (!open) {
            failConnect(new AsynchronousCloseException());
            return;
        }
        InetSocketAddress to = connectTo;
        InetSocketAddress from = boundAddress;
        try {
            socket = slot.clients.connect(to.getAddress().getHostAddress(), to.getPort(),
                    from == null || from.getAddress().isAnyLocalAddress() ? null : from.getAddress().getHostAddress(),
                    NO_CONNECT_TIMEOUT);
        } catch (RuntimeException e) { // the loop is closing, or the source address is unusable
            onConnectError(new IOException("cannot connect to " + to + ": " + e.getMessage(), e));
            return;
        }
        socket.state(this);
        try {
            options.applyTo(socket); // what the program set before connecting
        } catch (IOException | RuntimeException e) {
            Socket<GustSocketChannel> s = socket;
            onConnectError(new IOException("cannot apply socket options: " + e.getMessage(), e));
            s.close();
        }
    }

    /** The socket connected (loop thread). */
    void onConnected() {
        localAddress = socket.localAddress();
        remoteAddress = socket.remoteAddress();
        connectState = CONNECTED;
        CompletionHandler<Object, Object> h = connectHandler;
        Object a = connectAttachment;
        connectHandler = null;
        connectAttachment = null;
        if (h != null) slot.completed(this, h, null, a);
    }

    /** The connect failed: as with the JDK, the channel is closed (loop thread). */
    void onConnectError(IOException error) {
        socket = null;
        markClosed();
        failConnect(error);
    }

    private void failConnect(Throwable error) {
        CompletionHandler<Object, Object> h = connectHandler;
        Object a = connectAttachment;
        connectHandler = null;
        connectAttachment = null;
        if (connectState == CONNECTING) connectState = UNCONNECTED;
        if (h != null) slot.failed(this, h, error, a);
    }

    // ------------------------------------------------------------------ read

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        startRead(false, dst, null, 0, 1, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        OpFuture<Integer> f = new OpFuture<>(this::readCancelled);
        read(dst, 0L, TimeUnit.MILLISECONDS, f, OpFuture.handler());
        return f;
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        }
        startRead(true, null, dsts, offset, length, timeout, unit, attachment, handler);
    }

    @SuppressWarnings("unchecked")
    private void startRead(boolean scatter, ByteBuffer single, ByteBuffer[] buffers, int offset, int length,
                           long timeout, TimeUnit unit, Object attachment, CompletionHandler<?, ?> handler) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(unit, "unit");
        if (!open) {
            slot.failed(this, (CompletionHandler<Object, Object>) handler, new ClosedChannelException(), attachment);
            return;
        }
        if (connectState != CONNECTED) throw new NotYetConnectedException();
        synchronized (lock) {
            if (readRefused) throw new IllegalStateException("Reading not allowed due to timeout or cancellation");
            if (readPending) throw new ReadPendingException();
            readPending = true;
        }
        Op op = read;
        op.prepare(scatter, single, buffers, offset, length, timeout, unit, attachment, handler);
        if (!slot.run(startRead)) op.fail(new AsynchronousCloseException());
    }

    private void readOnLoop() {
        Op op = read;
        if (!op.active()) return; // cancelled before it started
        if (!open) {
            op.fail(new AsynchronousCloseException());
            return;
        }
        if (inputShutdown) {
            op.complete(-1);
            return;
        }
        if (op.remaining() == 0) {
            op.complete(0);
            return;
        }
        if (stash != null && stash.position() > 0) {
            stash.flip();
            long n = copyInto(stash, op);
            stash.compact();
            op.complete(n);
            return;
        }
        if (brokenReason != null) {
            op.fail(new IOException(brokenReason));
            return;
        }
        if (eof || socket == null || socket.isClosed()) {
            op.complete(-1);
            return;
        }
        op.waiting = true;
        op.armTimer();
        socket.resumeReading();
    }

    /** Bytes arrived (loop thread; {@code data} is the loop's receive buffer). */
    void onData(ByteBuffer data) {
        Op op = read;
        if (op.waiting) {
            long n = copyInto(data, op);
            if (data.hasRemaining()) keep(data);
            op.complete(n); // the handler may start the next read right here
        } else {
            keep(data);
        }
        // No read waiting now (not re-armed by the handler): stop reading, the kernel holds the rest.
        if (!read.waiting && socket != null && !socket.isClosed()) socket.pauseReading();
    }

    private void keep(ByteBuffer data) {
        int need = data.remaining();
        if (stash == null) {
            stash = ByteBuffer.allocate(Math.max(need, 8192));
        } else if (stash.remaining() < need) {
            ByteBuffer bigger = ByteBuffer.allocate(stash.position() + need);
            stash.flip();
            bigger.put(stash);
            stash = bigger;
        }
        stash.put(data);
    }

    private static long copyInto(ByteBuffer src, Op op) {
        long n = 0;
        for (int i = 0, c = op.count(); i < c && src.hasRemaining(); i++) {
            ByteBuffer dst = op.buffer(i);
            int k = Math.min(dst.remaining(), src.remaining());
            if (k == 0) continue;
            if (k == src.remaining()) {
                dst.put(src);
            } else {
                int limit = src.limit();
                src.limit(src.position() + k);
                dst.put(src);
                src.limit(limit);
            }
            n += k;
        }
        return n;
    }

    /** The peer shut down its side (loop thread). */
    void onEnd() {
        eof = true;
        if (read.waiting) read.complete(-1);
    }

    private void onReadTimeout() {
        if (!read.waiting) return;
        synchronized (lock) {
            readRefused = true; // JDK rule: after a timeout, further reads are refused
        }
        if (socket != null && !socket.isClosed()) socket.pauseReading();
        read.fail(new InterruptedByTimeoutException());
    }

    private void readCancelled(OpFuture<?> f, boolean interrupt) {
        synchronized (lock) {
            readRefused = true;
        }
        slot.run(() -> {
            if (read.attachment == f) {
                read.clear();
                unmarkPending(true);
                if (socket != null && !socket.isClosed()) socket.pauseReading();
            }
        });
        if (interrupt) closeQuietly();
    }

    // ------------------------------------------------------------------ write

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(src, "src");
        startWrite(false, src, null, 0, 1, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        OpFuture<Integer> f = new OpFuture<>(this::writeCancelled);
        write(src, 0L, TimeUnit.MILLISECONDS, f, OpFuture.handler());
        return f;
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        startWrite(true, null, srcs, offset, length, timeout, unit, attachment, handler);
    }

    @SuppressWarnings("unchecked")
    private void startWrite(boolean gather, ByteBuffer single, ByteBuffer[] buffers, int offset, int length,
                            long timeout, TimeUnit unit, Object attachment, CompletionHandler<?, ?> handler) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(unit, "unit");
        if (!open) {
            slot.failed(this, (CompletionHandler<Object, Object>) handler, new ClosedChannelException(), attachment);
            return;
        }
        if (connectState != CONNECTED) throw new NotYetConnectedException();
        synchronized (lock) {
            if (writeRefused) throw new IllegalStateException("Writing not allowed due to timeout or cancellation");
            if (writePending) throw new WritePendingException();
            writePending = true;
        }
        Op op = write;
        op.prepare(gather, single, buffers, offset, length, timeout, unit, attachment, handler);
        if (!slot.run(startWrite)) op.fail(new AsynchronousCloseException());
    }

    private void writeOnLoop() {
        Op op = write;
        if (!op.active()) return;
        if (!open) {
            op.fail(new AsynchronousCloseException());
            return;
        }
        if (outputShutdown) {
            op.fail(new ClosedChannelException());
            return;
        }
        if (brokenReason != null || socket == null || socket.isClosed()) {
            op.fail(new IOException(brokenReason != null ? brokenReason : "Broken pipe"));
            return;
        }
        long taken = 0;
        boolean backpressure = false;
        for (int i = 0, c = op.count(); i < c && taken < MAX_WRITE; i++) {
            ByteBuffer b = op.buffer(i);
            int r = b.remaining();
            if (r == 0) continue;
            int limit = b.limit();
            int take = (int) Math.min(r, MAX_WRITE - taken);
            if (take < r) b.limit(b.position() + take);
            boolean last = i == c - 1 || taken + take >= MAX_WRITE;
            backpressure |= !socket.write(b, !last);
            b.limit(limit);
            taken += take;
            if (socket.isClosed()) break;
        }
        if (!op.active()) return; // the socket failed while writing and that failed the op already
        if (socket.isClosed()) {
            op.fail(new IOException(brokenReason != null ? brokenReason : "Broken pipe"));
            return;
        }
        if (!backpressure) {
            op.complete(taken);
            return;
        }
        op.taken = taken; // taken, but waiting for the kernel: complete on drain, so one write at most waits
        op.waiting = true;
        op.armTimer();
    }

    /** What waited was written (loop thread). */
    void onWritable() {
        if (write.waiting) write.complete(write.taken);
    }

    private void onWriteTimeout() {
        if (!write.waiting) return;
        synchronized (lock) {
            writeRefused = true;
        }
        write.fail(new InterruptedByTimeoutException());
    }

    private void writeCancelled(OpFuture<?> f, boolean interrupt) {
        synchronized (lock) {
            writeRefused = true;
        }
        slot.run(() -> {
            if (write.attachment == f) {
                write.clear();
                unmarkPending(false);
            }
        });
        if (interrupt) closeQuietly();
    }

    // ------------------------------------------------------------------ shutdown and close

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        checkConnectedOpen();
        inputShutdown = true;
        slot.run(() -> {
            if (socket != null && !socket.isClosed()) socket.shutdownRead();
            if (read.waiting) read.complete(-1);
        });
        return this;
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        checkConnectedOpen();
        outputShutdown = true;
        slot.run(() -> {
            if (socket != null && !socket.isClosed()) socket.shutdown();
        });
        return this;
    }

    private void checkConnectedOpen() throws ClosedChannelException {
        if (!open) throw new ClosedChannelException();
        if (connectState != CONNECTED) throw new NotYetConnectedException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the channel; pending operations fail with {@link AsynchronousCloseException}. Any thread. */
    @Override
    public void close() throws IOException {
        if (markClosed()) finishClose();
    }

    @Override
    public void finishClose() {
        if (!slot.run(closeOnLoop)) failAll(); // the loop is gone: fail here
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // close() declares it, never throws it
        }
    }

    @Override
    public boolean markClosed() {
        synchronized (lock) {
            if (!open) return false;
            open = false;
        }
        group.unregister(this);
        return true;
    }

    private void closeOnLoop() {
        failAll();
        Socket<GustSocketChannel> s = socket;
        if (s != null && !s.isClosed()) s.close();
    }

    private void failAll() {
        if (connectHandler != null) failConnect(new AsynchronousCloseException());
        if (read.active()) read.fail(new AsynchronousCloseException());
        if (write.active()) write.fail(new AsynchronousCloseException());
    }

    /** The Gust socket closed (loop thread): by us, by the peer, by a failure, or with the loop. */
    void onSocketClosed(int code) {
        if (!open) {
            failAll();
            return;
        }
        switch (code) {
            case CloseCode.CLEAN -> {
                // Both directions are done (our shutdownOutput and the peer's FIN): reads see the end.
                eof = true;
                if (read.waiting) read.complete(-1);
                if (write.waiting) write.complete(write.taken);
            }
            case CloseCode.LOOP_CLOSED -> {
                markClosed();
                failAll();
            }
            default -> {
                brokenReason = code == CloseCode.PEER_RESET ? "Connection reset by peer"
                        : code == CloseCode.BACKPRESSURE_LIMIT ? "too many bytes waiting for a slow peer"
                        : "connection closed (gust close code " + code + ")";
                if (read.active()) read.fail(new IOException(brokenReason));
                if (write.active()) write.fail(new IOException(brokenReason));
            }
        }
    }

    @Override
    public String toString() {
        return "GustSocketChannel[" + (open ? "" : "closed ") + localAddress + " -> " + remoteAddress + "]";
    }
}

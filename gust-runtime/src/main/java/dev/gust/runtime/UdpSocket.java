package dev.gust.runtime;

import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.UdpHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP socket with blocking {@link #receive}, meant for virtual threads; a loop does the I/O.
 *
 * <pre>{@code
 * try (UdpSocket server = UdpSocket.bind("127.0.0.1", 0); UdpSocket client = UdpSocket.bind("127.0.0.1", 0)) {
 *     client.send(ByteBuffer.wrap("ping".getBytes()), server.localAddress());
 *     ByteBuffer buf = ByteBuffer.allocate(1500);
 *     InetSocketAddress from = server.receive(buf, Duration.ofSeconds(1)); // parks until a datagram arrives
 * }
 * }</pre>
 *
 * <p>Received datagrams wait in a queue of at most {@link StreamOptions#backlog()} (default 1024) for
 * {@code receive}; past it the loop drops new ones (as the kernel would), counted by {@link #dropped()}. A datagram longer
 * than the receiving buffer is truncated.
 *
 * <p>Sending is bounded like a TCP stream's writes: {@code send} copies the datagram and hands it to
 * the loop, and it parks while datagrams the loop has not yet given to the kernel add up to
 * {@link StreamOptions#sendBuffer()} bytes (default 256 KiB) or 1024 datagrams; a
 * sender faster than the loop (or than a kernel whose buffer is full) therefore waits instead of
 * growing memory. A datagram the kernel refuses outright (too long, unreachable destination...) is
 * reported by the next {@code send} as a {@link SocketException}; on this socket's loop thread the
 * send itself reports it.
 */
public final class UdpSocket implements AutoCloseable {
    private record Datagram(byte[] payload, InetSocketAddress from) {}

    private record Outgoing(ByteBuffer payload, InetSocketAddress to) {}

    /** Datagrams handed to the loop and not yet to the kernel, at most (with at most sendBuffer bytes). */
    static final int MAX_IN_FLIGHT = 1024;

    private final Loop loop;
    private final int maxQueued;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private long dropped; // guarded by lock
    private volatile dev.gust.loop.UdpSocket udp;

    // Sending: datagrams copied by senders and waiting for the loop, bounded (senders park past it).
    private final LoopGroup group;
    private final long maxInFlightBytes;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Condition sendSpace = sendLock.newCondition();
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>(); // guarded by sendLock
    private long inFlightBytes, peakInFlightBytes, parkedSends; // guarded by sendLock
    private boolean drainQueued; // guarded by sendLock: a drain is deferred or waits for onDrain
    private String sendError; // guarded by sendLock: a failed earlier send, for the next send to throw

    private UdpSocket(LoopGroup group, Loop loop, StreamOptions options) {
        this.group = group;
        this.loop = loop;
        this.maxQueued = options.backlog();
        this.maxInFlightBytes = options.sendBuffer();
    }

    /** Binds {@code host:port} (port 0 picks a free one) on a loop of the default group. */
    public static UdpSocket bind(String host, int port) throws IOException {
        return bind(host, port, StreamOptions.defaults());
    }

    /**
     * Binds {@code host:port} on a loop of {@code options.group()}; {@code options.backlog()} bounds the
     * datagrams waiting for {@code receive}.
     *
     * @throws BindException when the address is in use or not local
     */
    public static UdpSocket bind(String host, int port, StreamOptions options) throws IOException {
        LoopGroup group = options.loops();
        TcpStream.refuseLoopThread(group, "UdpSocket.bind");
        String address = InetAddress.getByName(host).getHostAddress(); // resolve off the loop
        UdpSocket socket = new UdpSocket(group, group.next(), options);
        CompletableFuture<dev.gust.loop.UdpSocket> bound = new CompletableFuture<>();
        UdpHandler handler = new UdpHandler() {
            public void onData(dev.gust.loop.UdpSocket u, ByteBuffer payload, InetSocketAddress from) {
                socket.onDatagram(payload, from);
            }

            public void onDrain(dev.gust.loop.UdpSocket u) {
                socket.drain(); // the kernel took what it had refused: hand over the next ones
            }

            public void onClose(dev.gust.loop.UdpSocket u, int code) {
                socket.onClosed();
            }
        };
        try {
            socket.loop.defer(() -> {
                try {
                    bound.complete(dev.gust.loop.UdpSocket.bind(socket.loop, address, port, handler));
                } catch (Throwable t) {
                    bound.completeExceptionally(t);
                }
            });
            socket.udp = bound.get();
        } catch (RejectedExecutionException e) {
            throw new SocketException("the loop is closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("bind interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                BindException b = new BindException(u.getMessage());
                b.initCause(u.getCause());
                throw b;
            }
            throw new SocketException("cannot bind UDP " + host + ":" + port + ": " + c);
        }
        return socket;
    }

    private void onDatagram(ByteBuffer payload, InetSocketAddress from) {
        lock.lock();
        try {
            if (closed) return;
            if (queue.size() >= maxQueued) {
                dropped++;
                return;
            }
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            queue.add(new Datagram(copy, from));
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    private void onClosed() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        sendLock.lock();
        try {
            outgoing.clear();
            inFlightBytes = 0;
            sendSpace.signalAll(); // parked senders see "socket closed"
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends {@code payload} (consumed) as one datagram to {@code to}: copies it for the loop, which
     * hands it to the kernel. Parks while earlier datagrams still wait for the loop beyond the send
     * bound (see the class comment); otherwise returns at once.
     *
     * <pre>{@code
     * for (byte[] record : records) socket.send(record, collector); // paced by the loop, memory bounded
     * }</pre>
     *
     * @throws SocketException when the socket is (or gets, while parked) closed, or when an earlier
     *                         datagram could not be sent (this one is then not sent; later sends go on)
     * @throws IllegalStateException when the send would have to park another loop's thread
     */
    public void send(ByteBuffer payload, InetSocketAddress to) throws IOException {
        if (to == null) throw new IllegalArgumentException("a target address is required");
        int size = payload.remaining();
        ByteBuffer copy = ByteBuffer.allocate(size).put(payload).flip();
        checkOpen();
        if (loop.isOnLoopThread()) {
            sendOnLoop(copy, to);
            return;
        }
        boolean defer = false;
        sendLock.lock();
        try {
            reportSendError();
            // Over the bound: park until the loop drains (one datagram alone may exceed the byte bound).
            while (!outgoing.isEmpty() && (outgoing.size() >= MAX_IN_FLIGHT || inFlightBytes + size > maxInFlightBytes)) {
                if (group.current() != null) {
                    throw new IllegalStateException("UdpSocket.send would block loop thread '"
                            + Thread.currentThread().getName() + "'; call it from a virtual thread");
                }
                parkedSends++;
                sendSpace.await();
                checkOpen();
                reportSendError();
            }
            outgoing.add(new Outgoing(copy, to));
            inFlightBytes += size;
            if (inFlightBytes > peakInFlightBytes) peakInFlightBytes = inFlightBytes;
            if (!drainQueued) defer = drainQueued = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("send interrupted");
        } finally {
            sendLock.unlock();
        }
        if (defer) {
            try {
                loop.defer(this::drain); // one task for a burst of sends, not one per datagram
            } catch (RejectedExecutionException e) {
                throw new SocketException("socket closed");
            }
        }
    }

    /** Throws (once) the failure of an earlier datagram. Caller holds sendLock. */
    private void reportSendError() throws SocketException {
        String e = sendError;
        if (e != null) {
            sendError = null;
            throw new SocketException(e);
        }
    }

    /** On this socket's loop: straight to the loop socket, which queues a bounded amount when the kernel is full. */
    private void sendOnLoop(ByteBuffer copy, InetSocketAddress to) throws SocketException {
        dev.gust.loop.UdpSocket u = udp;
        int size = copy.remaining();
        int queuedBefore = u.queuedDatagrams();
        if (!u.send(copy, to) && !u.isClosed() && u.queuedDatagrams() <= queuedBefore) {
            throw new SocketException(failedMessage(size, to));
        }
    }

    private static String failedMessage(int size, InetSocketAddress to) {
        return "a datagram of " + size + " bytes to " + to + " could not be sent (refused by the kernel: too long, "
                + "or the destination unreachable)";
    }

    /**
     * Loop thread: hands waiting datagrams to the kernel, in order, while it takes them. When it
     * refuses one, the loop socket keeps it and we wait for {@code onDrain}, so at most one datagram
     * sits in the loop socket's own queue; the rest stay counted here, where senders see them.
     */
    private void drain() {
        dev.gust.loop.UdpSocket u = udp;
        int budget = MAX_IN_FLIGHT; // then yield the loop to other work and continue in a new task
        while (true) {
            Outgoing o;
            sendLock.lock();
            try {
                if (u.isClosed()) {
                    drainQueued = false;
                    return;
                }
                if (u.queuedDatagrams() > 0) return; // onDrain calls us again (drainQueued stays set)
                o = outgoing.poll();
                if (o == null) {
                    drainQueued = false;
                    return;
                }
                if (budget-- == 0) {
                    outgoing.addFirst(o);
                    break;
                }
            } finally {
                sendLock.unlock();
            }
            int size = o.payload.remaining();
            boolean failed = !u.send(o.payload, o.to) && !u.isClosed() && u.queuedDatagrams() == 0;
            sendLock.lock();
            try {
                inFlightBytes -= size;
                if (failed && sendError == null) sendError = failedMessage(size, o.to);
                sendSpace.signalAll();
            } finally {
                sendLock.unlock();
            }
        }
        try {
            loop.defer(this::drain);
        } catch (RejectedExecutionException closing) {
            // the loop is closing: its sockets close, and onClosed fails the parked senders
        }
    }

    /**
     * For tests: bytes of datagrams handed to this socket and not yet to the kernel, the most that
     * ever were, and how many times a sender parked for the bound.
     */
    record SendStats(long inFlightBytes, long peakInFlightBytes, long parkedSends) {}

    SendStats sendStats() {
        sendLock.lock();
        try {
            return new SendStats(inFlightBytes, peakInFlightBytes, parkedSends);
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends {@code bytes} as one datagram to {@code to}. */
    public void send(byte[] bytes, InetSocketAddress to) throws IOException {
        send(ByteBuffer.wrap(bytes), to);
    }

    /** Waits for the next datagram, copies it into {@code dst} (truncating) and returns its sender. */
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return receive(dst, Duration.ZERO);
    }

    /**
     * Like {@link #receive(ByteBuffer)}, waiting at most {@code timeout} (zero: forever).
     *
     * @throws SocketTimeoutException when no datagram came in time
     * @throws SocketException when the socket is (or gets) closed
     */
    public InetSocketAddress receive(ByteBuffer dst, Duration timeout) throws IOException {
        if (loop.isOnLoopThread()) throw new IllegalStateException("UdpSocket.receive would block its loop thread");
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) throw new SocketException("socket closed");
                Datagram d = queue.poll();
                if (d != null) {
                    dst.put(d.payload, 0, Math.min(d.payload.length, dst.remaining()));
                    return d.from;
                }
                if (nanos > 0) {
                    nanos = arrived.awaitNanos(nanos);
                    if (nanos <= 0 && queue.isEmpty() && !closed) throw new SocketTimeoutException("Receive timed out");
                } else {
                    arrived.await();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("receive interrupted");
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams dropped because {@link StreamOptions#backlog()} were already waiting for {@link #receive}. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    public InetSocketAddress localAddress() {
        return udp.localAddress();
    }

    private void checkOpen() throws SocketException {
        lock.lock();
        try {
            if (closed) throw new SocketException("socket closed");
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket; a blocked {@code receive} fails with "socket closed". Idempotent. */
    @Override
    public void close() {
        onClosed();
        try {
            loop.runOnLoop(() -> {
                if (!udp.isClosed()) udp.close();
            });
        } catch (RejectedExecutionException alreadyClosed) {
            // the loop closed it
        }
    }
}

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
 * than the receiving buffer is truncated. {@code send} never blocks: the loop sends at once or
 * queues a bounded amount (UDP may drop).
 */
public final class UdpSocket implements AutoCloseable {
    private record Datagram(byte[] payload, InetSocketAddress from) {}

    private final Loop loop;
    private final int maxQueued;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private long dropped; // guarded by lock
    private volatile dev.gust.loop.UdpSocket udp;

    private UdpSocket(Loop loop, int maxQueued) {
        this.loop = loop;
        this.maxQueued = maxQueued;
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
        UdpSocket socket = new UdpSocket(group.next(), options.backlog());
        CompletableFuture<dev.gust.loop.UdpSocket> bound = new CompletableFuture<>();
        UdpHandler handler = new UdpHandler() {
            public void onData(dev.gust.loop.UdpSocket u, ByteBuffer payload, InetSocketAddress from) {
                socket.onDatagram(payload, from);
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
    }

    /**
     * Sends {@code payload} (consumed) as one datagram to {@code to}. Does not block.
     *
     * @throws SocketException when the socket is closed
     */
    public void send(ByteBuffer payload, InetSocketAddress to) throws IOException {
        if (to == null) throw new IllegalArgumentException("a target address is required");
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        checkOpen();
        try {
            loop.defer(() -> {
                dev.gust.loop.UdpSocket u = udp;
                if (!u.isClosed()) u.send(copy, to);
            });
        } catch (RejectedExecutionException e) {
            throw new SocketException("socket closed");
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

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fan-out writes ("more" writes to sockets other than the one holding the cork, as pub/sub does) are
 * gathered per socket and leave in one syscall per socket at the end of the loop pass, in order.
 */
@Timeout(30)
class OutboxBatchingTest {

    /** Counts write syscalls per accepted socket, delegating to the default transport. */
    static final class CountingTransport implements Transport {
        final ConcurrentHashMap<Object, AtomicInteger> writes = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Poller openPoller(Readiness sink) throws IOException {
            Poller real = LoopOptions.defaults().transport().openPoller(sink);
            return new Poller() {
                @Override
                public IoHandle listen(InetSocketAddress a, int backlog, boolean reusePort, boolean exclusive, Object att)
                        throws IOException {
                    IoHandle l = real.listen(a, backlog, reusePort, exclusive, att);
                    return new Delegating(l) {
                        @Override
                        public IoHandle accept(Object attachment) throws IOException {
                            IoHandle h = l.accept(attachment);
                            if (h == null) return null;
                            AtomicInteger count = writes.computeIfAbsent(attachment, k -> new AtomicInteger());
                            return new Delegating(h) {
                                @Override
                                public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                                    count.incrementAndGet();
                                    return h.write(srcs, offset, length);
                                }

                                @Override
                                public int write(ByteBuffer src) throws IOException {
                                    count.incrementAndGet();
                                    return h.write(src);
                                }
                            };
                        }
                    };
                }

                @Override
                public IoHandle connect(InetSocketAddress remote, InetSocketAddress source, Object att) throws IOException {
                    return real.connect(remote, source, att);
                }

                @Override
                public DatagramHandle openDatagram(InetSocketAddress local, boolean reusePort, Object att) throws IOException {
                    return real.openDatagram(local, reusePort, att);
                }

                @Override
                public int poll(long timeoutNanos) throws IOException {
                    return real.poll(timeoutNanos);
                }

                @Override
                public void wakeup() {
                    real.wakeup();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }
    }

    static class Delegating implements IoHandle {
        final IoHandle h;

        Delegating(IoHandle h) {
            this.h = h;
        }

        public int read(ByteBuffer dst) throws IOException { return h.read(dst); }
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return h.write(srcs, offset, length); }
        public int write(ByteBuffer src) throws IOException { return h.write(src); }
        public IoHandle accept(Object attachment) throws IOException { return h.accept(attachment); }
        public boolean finishConnect() throws IOException { return h.finishConnect(); }
        public void interest(int ops) { h.interest(ops); }
        public int interest() { return h.interest(); }
        public void shutdownOutput() throws IOException { h.shutdownOutput(); }
        public void shutdownInput() throws IOException { h.shutdownInput(); }
        public void close(boolean abortive) { h.close(abortive); }
        public InetSocketAddress localAddress() { return h.localAddress(); }
        public InetSocketAddress remoteAddress() { return h.remoteAddress(); }
        public void noDelay(boolean on) throws IOException { h.noDelay(on); }
    }

    @Test
    void fanOutToManySocketsCostsOneWritePerSocketPerPass() throws Exception {
        CountingTransport counting = new CountingTransport();
        int clients = 5, messages = 20;
        List<Socket<Void>> accepted = new ArrayList<>();
        CountDownLatch opened = new CountDownLatch(clients);
        try (Loop loop = Loop.create(LoopOptions.defaults().withTransport(counting)).start()) {
            int port = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                    accepted.add(s);
                    opened.countDown();
                }
            }).listen("127.0.0.1", 0).port());
            java.net.Socket[] sockets = new java.net.Socket[clients];
            for (int i = 0; i < clients; i++) sockets[i] = new java.net.Socket("127.0.0.1", port);
            assertTrue(opened.await(5, TimeUnit.SECONDS));
            OnLoop.run(loop, () -> {
                Socket<Void> publisher = accepted.get(0);
                // As in a message callback of one socket that publishes to the others, many times in one pass.
                publisher.cork(() -> {
                    for (int m = 0; m < messages; m++) {
                        for (Socket<Void> s : accepted) {
                            if (s != publisher) s.write(ByteBuffer.wrap(("m" + m + ";").getBytes(StandardCharsets.US_ASCII)), true);
                        }
                    }
                    publisher.write(ByteBuffer.wrap("own;".getBytes(StandardCharsets.US_ASCII)), false);
                });
            });
            StringBuilder expected = new StringBuilder();
            for (int m = 0; m < messages; m++) expected.append("m").append(m).append(';');
            for (Socket<Void> s : accepted) {
                int index = accepted.indexOf(s);
                String want = index == 0 ? "own;" : expected.toString();
                InputStream in = socketFor(sockets, s).getInputStream();
                assertEquals(want, new String(in.readNBytes(want.length()), StandardCharsets.US_ASCII));
            }
            for (int i = 1; i < clients; i++) {
                assertEquals(1, counting.writes.get(accepted.get(i)).get(), "one syscall for " + messages + " messages");
            }
            for (java.net.Socket c : sockets) c.close();
        }
    }

    private static java.net.Socket socketFor(java.net.Socket[] clients, Socket<Void> server) {
        for (java.net.Socket c : clients) if (c.getLocalPort() == server.remotePort()) return c;
        throw new AssertionError("no client for " + server);
    }
}

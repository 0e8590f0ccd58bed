package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.loop.nio.NioTransport;
import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpSocketTest {
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);

    /** Records "payload@port" of every datagram. */
    static final class Recorder implements UdpHandler {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicInteger drains = new AtomicInteger();

        @Override
        public void onData(UdpSocket udp, ByteBuffer payload, InetSocketAddress from) {
            received.add(StandardCharsets.UTF_8.decode(payload) + "@" + from.getPort());
        }

        @Override
        public void onDrain(UdpSocket udp) {
            drains.incrementAndGet();
        }

        @Override
        public void onClose(UdpSocket udp, int code) {
            closed.complete(code);
        }

        String next() throws InterruptedException {
            String s = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(s, "a datagram within 5 s");
            return s;
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static UdpSocket echoServer(Loop loop) throws Exception {
        return OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, (udp, payload, from) -> udp.send(payload, from)));
    }

    @Test
    void echoBetweenTwoGustUdpSockets() throws Exception {
        try (Loop loop = Loop.create().start()) {
            UdpSocket server = echoServer(loop);
            Recorder recorder = new Recorder();
            UdpSocket client = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, recorder));
            assertTrue(OnLoop.call(loop, () -> client.send(text("ping"), server.localAddress())));
            assertEquals("ping@" + server.port(), recorder.next());

            // Connected: send(payload) goes to the peer.
            OnLoop.run(loop, () -> {
                client.connect(server.localAddress());
                assertEquals(server.localAddress(), client.remoteAddress());
                assertTrue(client.send(text("connected ping")));
            });
            assertEquals("connected ping@" + server.port(), recorder.next());
            assertInstanceOf(IllegalArgumentException.class, OnLoop.call(loop, () -> {
                try {
                    client.send(text("x"), NOWHERE);
                    return null;
                } catch (IllegalArgumentException expected) {
                    return expected;
                }
            }), "a connected socket sends only to its peer");
        }
    }

    @Test
    void echoWithAJdkDatagramSocket() throws Exception {
        try (Loop loop = Loop.create().start(); DatagramSocket jdk = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            UdpSocket server = echoServer(loop);
            jdk.setSoTimeout(5_000);
            for (int i = 0; i < 10; i++) {
                byte[] msg = ("jdk " + i).getBytes(StandardCharsets.UTF_8);
                jdk.send(new DatagramPacket(msg, msg.length, server.localAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                jdk.receive(reply);
                assertEquals("jdk " + i, new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
                assertEquals(server.port(), reply.getPort());
            }

            // And the other way round: a Gust client to a JDK server.
            Recorder recorder = new Recorder();
            UdpSocket client = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, recorder));
            OnLoop.run(loop, () -> client.send(text("to jdk"), (InetSocketAddress) jdk.getLocalSocketAddress()));
            DatagramPacket got = new DatagramPacket(new byte[100], 100);
            jdk.receive(got);
            assertEquals("to jdk", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            assertEquals(client.port(), got.getPort());
        }
    }

    @Test
    void thousandDatagramsArriveInBatchesBoundedByReceiveBatch() throws Exception {
        int total = 1000, window = 100, batch = 64;
        try (Loop loop = Loop.create().start(); DatagramChannel sender = DatagramChannel.open()) {
            List<Integer> indexes = new ArrayList<>();
            Map<Long, Integer> perIteration = new ConcurrentHashMap<>();
            AtomicInteger count = new AtomicInteger();
            UdpSocket receiver = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0,
                    UdpOptions.defaults().withReceiveBatch(batch), (udp, payload, from) -> {
                        int index = payload.getInt();
                        for (int i = 0; i < 28; i++) assertEquals((byte) (index + i), payload.get(), "content of " + index);
                        indexes.add(index);
                        perIteration.merge(loop.iteration(), 1, Integer::sum);
                        count.incrementAndGet();
                    }));
            ByteBuffer datagram = ByteBuffer.allocate(32);
            for (int sent = 0; sent < total; ) {
                // Hold the loop while a window of datagrams piles up in the kernel, so one readiness finds many.
                CountDownLatch hold = new CountDownLatch(1), holding = new CountDownLatch(1);
                loop.defer(() -> {
                    holding.countDown();
                    try {
                        hold.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(holding.await(5, TimeUnit.SECONDS));
                for (int i = 0; i < window; i++, sent++) {
                    datagram.clear().putInt(sent);
                    for (int j = 0; j < 28; j++) datagram.put((byte) (sent + j));
                    sender.send(datagram.flip(), receiver.localAddress());
                }
                hold.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (count.get() < sent && System.nanoTime() < deadline) Thread.sleep(1);
                assertEquals(sent, count.get(), "every datagram of the window arrived");
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < total; i++) expected.add(i);
            assertEquals(expected, OnLoop.call(loop, () -> new ArrayList<>(indexes)));
            int max = perIteration.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            assertEquals(batch, max, "up to receiveBatch datagrams per readiness, no more");
        }
    }

    @Test
    void connectFiltersOtherSendersAndDisconnectUndoesIt() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Recorder a = new Recorder();
            UdpSocket sa = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, a));
            UdpSocket b = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, (u, p, f) -> { }));
            UdpSocket c = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, (u, p, f) -> { }));
            OnLoop.run(loop, () -> sa.connect(b.localAddress()));
            OnLoop.run(loop, () -> {
                c.send(text("from c"), sa.localAddress());  // filtered by the kernel
                b.send(text("from b"), sa.localAddress());
            });
            assertEquals("from b@" + b.port(), a.next());
            OnLoop.run(loop, () -> b.send(text("again b"), sa.localAddress()));
            assertEquals("again b@" + b.port(), a.next(), "nothing from c came in between");

            OnLoop.run(loop, () -> {
                sa.disconnect();
                assertNull(sa.remoteAddress());
                c.send(text("c again"), sa.localAddress());
            });
            assertEquals("c again@" + c.port(), a.next());
        }
    }

    // ------------------------------------------------------------------ the send queue

    /** NIO, except that datagram sends are refused while {@link #refusals} is positive. */
    static final class RefusingTransport implements Transport {
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        public String name() {
            return "refusing-nio";
        }

        @Override
        public Poller openPoller(Readiness sink) throws IOException {
            Poller nio = NioTransport.INSTANCE.openPoller(sink);
            return new Poller() {
                @Override
                public IoHandle listen(InetSocketAddress a, int backlog, boolean reusePort, boolean exclusive, Object att)
                        throws IOException {
                    return nio.listen(a, backlog, reusePort, exclusive, att);
                }

                @Override
                public IoHandle connect(InetSocketAddress remote, InetSocketAddress source, Object att) throws IOException {
                    return nio.connect(remote, source, att);
                }

                @Override
                public DatagramHandle openDatagram(InetSocketAddress local, boolean reusePort, Object att) throws IOException {
                    DatagramHandle h = nio.openDatagram(local, reusePort, att);
                    return new DatagramHandle() {
                        @Override
                        public InetSocketAddress receive(ByteBuffer dst) throws IOException {
                            return h.receive(dst);
                        }

                        @Override
                        public boolean send(ByteBuffer src, InetSocketAddress target) throws IOException {
                            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return false; // "kernel buffer full"
                            return h.send(src, target);
                        }

                        @Override
                        public void connect(InetSocketAddress remote) throws IOException {
                            h.connect(remote);
                        }

                        @Override
                        public void interest(int ops) {
                            h.interest(ops);
                        }

                        @Override
                        public InetSocketAddress localAddress() {
                            return h.localAddress();
                        }

                        @Override
                        public void close() {
                            h.close();
                        }
                    };
                }

                @Override
                public int poll(long timeoutNanos) throws IOException {
                    return nio.poll(timeoutNanos);
                }

                @Override
                public void wakeup() {
                    nio.wakeup();
                }

                @Override
                public void close() throws IOException {
                    nio.close();
                }
            };
        }
    }

    @Test
    void refusedSendsAreQueuedInOrderAndFlushedOnWritableThenDrain() throws Exception {
        RefusingTransport transport = new RefusingTransport();
        try (Loop loop = Loop.create(LoopOptions.defaults().withTransport(transport)).start()) {
            Recorder receiver = new Recorder();
            UdpSocket target = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, receiver));
            Recorder senderEvents = new Recorder();
            UdpSocket sender = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, senderEvents));
            transport.refusals.set(3); // the first send and two flush attempts are refused
            int[] queuedAfter = new int[1];
            int sentNow = OnLoop.call(loop, () -> {
                ByteBuffer[] payloads = new ByteBuffer[10];
                for (int i = 0; i < payloads.length; i++) payloads[i] = text("d" + i);
                int n = sender.sendBatch(payloads, new InetSocketAddress[] {target.localAddress(), target.localAddress(),
                        target.localAddress(), target.localAddress(), target.localAddress(), target.localAddress(),
                        target.localAddress(), target.localAddress(), target.localAddress(), target.localAddress()});
                queuedAfter[0] = sender.queuedDatagrams();
                return n;
            });
            assertEquals(0, sentNow, "the first was refused, the rest queued behind it");
            assertEquals(10, queuedAfter[0]);
            for (int i = 0; i < 10; i++) assertEquals("d" + i + "@" + sender.port(), receiver.next());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (senderEvents.drains.get() == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(1, senderEvents.drains.get());
            assertEquals(0, (int) OnLoop.call(loop, sender::queuedDatagrams));
            assertEquals(0L, (long) OnLoop.call(loop, sender::queuedBytes));

            // Once the kernel takes sends again, send() returns true and no drain is needed.
            assertTrue(OnLoop.call(loop, () -> sender.send(text("direct"), target.localAddress())));
            assertEquals("direct@" + sender.port(), receiver.next());
        }
    }

    @Test
    void theSendQueueIsBounded() throws Exception {
        RefusingTransport transport = new RefusingTransport();
        try (Loop loop = Loop.create(LoopOptions.defaults().withTransport(transport)).start()) {
            Recorder receiver = new Recorder();
            UdpSocket target = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, receiver));
            UdpSocket sender = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0,
                    UdpOptions.defaults().withMaxQueuedBytes(25), new Recorder()));
            transport.refusals.set(1);
            long queued = OnLoop.call(loop, () -> {
                for (int i = 0; i < 5; i++) assertFalse(sender.send(text("0123456789"), target.localAddress()));
                return sender.queuedBytes();
            });
            assertEquals(20, queued, "two 10-byte datagrams fit in 25 bytes; the rest were dropped");
            assertEquals("0123456789@" + sender.port(), receiver.next());
            assertEquals("0123456789@" + sender.port(), receiver.next());
            assertNull(receiver.received.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    // ------------------------------------------------------------------ closing and errors

    @Test
    void closeAndLoopCloseRunOnClose() throws Exception {
        Loop loop = Loop.create().start();
        Recorder closedByUser = new Recorder(), closedWithLoop = new Recorder();
        UdpSocket a = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, closedByUser));
        int port = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, closedWithLoop).port());
        OnLoop.run(loop, () -> {
            a.close();
            assertTrue(a.isClosed());
            assertFalse(a.send(text("x"), NOWHERE));
        });
        assertEquals(CloseCode.CLEAN, closedByUser.closed.get(5, TimeUnit.SECONDS));
        loop.close();
        assertEquals(CloseCode.LOOP_CLOSED, closedWithLoop.closed.get(5, TimeUnit.SECONDS));
        try (DatagramSocket rebind = new DatagramSocket(port, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, rebind.getLocalPort(), "the port was released");
        }
    }

    @Test
    void aThrowingHandlerDoesNotStopTheSocket() throws Exception {
        try (Loop loop = Loop.create().start(); DatagramSocket jdk = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            jdk.setSoTimeout(5_000);
            UdpSocket server = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, (udp, payload, from) -> {
                if (payload.get(0) == 'x') throw new IllegalStateException("handler bug (expected by test)");
                udp.send(payload, from);
            }));
            jdk.send(new DatagramPacket(new byte[] {'x'}, 1, server.localAddress()));
            jdk.send(new DatagramPacket(new byte[] {'y'}, 1, server.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[10], 10);
            jdk.receive(reply);
            assertEquals('y', reply.getData()[0]);
            assertFalse(server.isClosed());
        }
    }
}

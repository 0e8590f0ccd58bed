package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopGroupTest {

    private static SocketContext<Void, Void> quiet(Loop loop) {
        return SocketContext.create(loop, null, new SocketHandler<Void>() {});
    }

    @Test
    void aSecondServerOnATakenPortFailsInsteadOfSharingIt() throws Exception {
        try (LoopGroup first = LoopGroup.create(2); LoopGroup second = LoopGroup.create(2)) {
            int port = first.listen("127.0.0.1", 0, LoopGroupTest::quiet).getFirst().port();
            first.start();
            var e = assertThrows(java.io.UncheckedIOException.class,
                    () -> second.listen("127.0.0.1", port, LoopGroupTest::quiet));
            assertTrue(e.getMessage().contains("cannot listen on") && e.getMessage().contains(String.valueOf(port)),
                    e.getMessage());
            // a plain server socket on the port is refused too: SO_REUSEPORT did not open it to others
            assertThrows(java.net.BindException.class, () -> {
                try (var s = new java.net.ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.0.1", port));
                }
            });
        }
    }

    @Test
    void sharingAPortIsPossibleWhenAskedFor() throws Exception {
        try (LoopGroup first = LoopGroup.create(2); LoopGroup second = LoopGroup.create(2)) {
            ListenOptions share = ListenOptions.defaults().withReusePort(true);
            int port = first.listen("127.0.0.1", 0, share, LoopGroupTest::quiet).getFirst().port();
            assertEquals(port, second.listen("127.0.0.1", port, share, LoopGroupTest::quiet).getFirst().port());
        }
    }

    @Test
    void listenSpreadsConnectionsOverEveryLoopOnOnePort() throws Exception {
        Map<String, AtomicInteger> opensPerThread = new ConcurrentHashMap<>();
        try (LoopGroup group = LoopGroup.create(3)) {
            List<ListenSocket> listeners = group.listen("127.0.0.1", 0, loop -> SocketContext.create(loop, null,
                    new SocketHandler<Void>() {
                        @Override
                        public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                            opensPerThread.computeIfAbsent(Thread.currentThread().getName(),
                                    k -> new AtomicInteger()).incrementAndGet();
                        }

                        @Override
                        public void onData(Socket<Void> s, ByteBuffer data) {
                            s.write(data);
                        }
                    }));
            group.start();
            assertEquals(3, listeners.size());
            int port = listeners.getFirst().port();
            for (ListenSocket l : listeners) assertEquals(port, l.port(), "every loop listens on the same port");

            List<java.net.Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    java.net.Socket c = new java.net.Socket("127.0.0.1", port);
                    clients.add(c);
                    OutputStream out = c.getOutputStream();
                    out.write(("ping" + i).getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    byte[] back = in.readNBytes(("ping" + i).length());
                    assertEquals("ping" + i, new String(back, StandardCharsets.US_ASCII));
                }
            } finally {
                for (java.net.Socket c : clients) c.close();
            }
            // 60 connections hashed over 3 listeners: all on one loop has probability 3^-59.
            assertEquals(60, opensPerThread.values().stream().mapToInt(AtomicInteger::get).sum());
            assertTrue(opensPerThread.size() >= 2, "connections spread over loops: " + opensPerThread);
            for (String thread : opensPerThread.keySet()) assertTrue(thread.startsWith("gust-loop-"), thread);
        }
    }

    @Test
    void nextRoundRobinsAndOnEachRunsOnEveryLoopThread() throws Exception {
        try (LoopGroup group = LoopGroup.create(2).start()) {
            assertNotSame(group.next(), group.next());
            Map<String, Boolean> seen = new ConcurrentHashMap<>();
            group.onEach(loop -> {
                assertTrue(loop.isOnLoopThread());
                assertSame(loop, group.current());
                seen.put(Thread.currentThread().getName(), true);
            }).get();
            assertEquals(2, seen.size());
            assertNull(group.current(), "the test thread is not a loop thread");
        }
    }

    @Test
    void rejectsAnEmptyGroup() {
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.create(0));
    }

    /** Echoes and counts accepted connections per loop thread. */
    static final class CountingEcho implements SocketHandler<Void> {
        final Map<String, AtomicInteger> opensPerThread;

        CountingEcho(Map<String, AtomicInteger> opensPerThread) {
            this.opensPerThread = opensPerThread;
        }

        @Override
        public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
            assertTrue(s.loop().isOnLoopThread());
            opensPerThread.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onData(Socket<Void> s, ByteBuffer data) {
            s.write(data);
        }
    }

    private static void connectAndEcho(int port, int connections) throws Exception {
        List<java.net.Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                java.net.Socket c = new java.net.Socket("127.0.0.1", port);
                clients.add(c);
                c.getOutputStream().write(("ping" + i).getBytes(StandardCharsets.US_ASCII));
                byte[] back = c.getInputStream().readNBytes(("ping" + i).length());
                assertEquals("ping" + i, new String(back, StandardCharsets.US_ASCII));
            }
        } finally {
            for (java.net.Socket c : clients) c.close();
        }
    }

    @Test
    void acceptorModeHandsConnectionsRoundRobinToEveryLoop() throws Exception {
        Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        try (LoopGroup group = LoopGroup.create(3).start()) {
            List<ListenSocket> listeners = group.listen("127.0.0.1", 0,
                    ListenOptions.defaults().withDistribution(ListenOptions.Distribution.ACCEPTOR),
                    loop -> SocketContext.create(loop, null, new CountingEcho(opens)));
            assertEquals(1, listeners.size(), "one listener: loop 0 accepts for all");
            connectAndEcho(listeners.getFirst().port(), 30);
            // Sequential connections, round-robin: exactly a third each, and every one echoed on its loop.
            assertEquals(Map.of("gust-loop-0", 10, "gust-loop-1", 10, "gust-loop-2", 10), counts(opens));
        }
    }

    @Test
    void acceptorModeHandsOffTlsConnectionsBeforeTheirHandshake() throws Exception {
        Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        SocketOptions tls = SocketOptions.defaults().withTls(TlsOptions.server(TestCertificates.localhost().serverContext()));
        try (LoopGroup group = LoopGroup.create(2).start()) {
            int port = group.listen("127.0.0.1", 0,
                    ListenOptions.defaults().withDistribution(ListenOptions.Distribution.ACCEPTOR),
                    loop -> SocketContext.create(loop, null, new CountingEcho(opens), tls)).getFirst().port();
            for (int i = 0; i < 4; i++) {
                try (SSLSocket c = (SSLSocket) TestCertificates.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
                    c.getOutputStream().write("secure".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("secure", new String(c.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
                }
            }
            assertEquals(Map.of("gust-loop-0", 2, "gust-loop-1", 2), counts(opens));
        }
    }

    @Test
    void fallsBackToAnAcceptorWhenTheTransportCannotReusePorts() throws Exception {
        Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        Transport noReusePort = new Restricted(LoopOptions.defaults().transport(), false, true);
        try (LoopGroup group = LoopGroup.create(2, LoopOptions.defaults().withTransport(noReusePort)).start()) {
            List<ListenSocket> listeners = group.listen("127.0.0.1", 0,
                    loop -> SocketContext.create(loop, null, new CountingEcho(opens)));
            assertEquals(1, listeners.size(), "fell back to one accepting loop");
            connectAndEcho(listeners.getFirst().port(), 6);
            assertEquals(Map.of("gust-loop-0", 3, "gust-loop-1", 3), counts(opens));
        }
    }

    @Test
    void anAcceptorNeedsATransportThatCanHandSocketsOver() {
        Transport noHandOff = new Restricted(LoopOptions.defaults().transport(), true, false);
        try (LoopGroup group = LoopGroup.create(2, LoopOptions.defaults().withTransport(noHandOff))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.listen("127.0.0.1", 0,
                    ListenOptions.defaults().withDistribution(ListenOptions.Distribution.ACCEPTOR),
                    loop -> SocketContext.create(loop, null, new SocketHandler<Void>() {})));
            assertTrue(e.getMessage().contains("cannot hand sockets"), e.getMessage());
        }
    }

    /** A real transport that claims fewer abilities, to exercise the group's choices. */
    record Restricted(Transport real, boolean reusePort, boolean handOff) implements Transport {
        @Override
        public String name() {
            return real.name();
        }

        @Override
        public Poller openPoller(Readiness sink) throws java.io.IOException {
            return real.openPoller(sink);
        }

        @Override
        public boolean supportsReusePort() {
            return reusePort;
        }

        @Override
        public boolean supportsHandOff() {
            return handOff;
        }
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> opens) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        opens.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Test
    void messagesBetweenLoopsArriveInOrderPerSenderAndNoneIsLost() throws Exception {
        int senders = 3, perSender = 20_000;
        try (LoopGroup group = LoopGroup.create(senders + 1).start()) {
            Loop receiver = group.loop(0);
            int[] lastSeen = new int[senders + 1]; // touched only on the receiver's thread
            java.util.Arrays.fill(lastSeen, -1);
            AtomicInteger outOfOrder = new AtomicInteger(), received = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(senders * perSender);
            CountDownLatch go = new CountDownLatch(1);
            for (int s = 1; s <= senders; s++) {
                int sender = s;
                group.loop(s).defer(() -> {
                    try {
                        go.await(); // all senders burst at the same moment
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < perSender; i++) {
                        int seq = i;
                        receiver.defer(() -> {
                            assertTrue(receiver.isOnLoopThread());
                            if (lastSeen[sender] != seq - 1) outOfOrder.incrementAndGet();
                            lastSeen[sender] = seq;
                            received.incrementAndGet();
                            all.countDown();
                        });
                    }
                });
            }
            go.countDown();
            assertTrue(all.await(20, TimeUnit.SECONDS), "received " + received.get() + " of " + senders * perSender);
            assertEquals(0, outOfOrder.get(), "FIFO per sender");
            assertEquals(senders * perSender, received.get(), "no loss, no duplicate");
            CompletableFuture<int[]> last = new CompletableFuture<>();
            receiver.defer(() -> last.complete(lastSeen.clone()));
            for (int s = 1; s <= senders; s++) assertEquals(perSender - 1, last.get(5, TimeUnit.SECONDS)[s]);
        }
    }
}

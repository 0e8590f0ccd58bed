package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.loop.nio.NioTransport;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Socket#moveTo}: a connection accepted on loop 0 moves to contexts on loop 1 (and back, and
 * within loop 0) and keeps working; nothing in flight is lost; bad calls fail clearly. Real sockets,
 * run on every transport.
 */
@Timeout(60)
class SocketMoveTest {
    /**
     * Contexts by index: 0 listens on loop 0, 1 is on loop 1, 2 is on loop 0 again, 3 (loop 1) bounces
     * to 0, 4 (loop 1) has an onAdopted that throws.
     */
    private LoopGroup group;
    private final SocketContext<?, ?>[] contexts = new SocketContext<?, ?>[5];
    /** "context@thread" for every onAdopted, in order. */
    private final BlockingQueue<String> adoptions = new LinkedBlockingQueue<>();
    /** "context:CODE@thread" for every onClose. */
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    private int port;

    /**
     * Echoes, except data starting with '>' and a digit k: moves the socket to context k, handing it
     * the rest of the data. A few other commands set up the other tests.
     */
    final class Mover implements SocketHandler<String> {
        final String name;
        final Integer bounceTo;

        Mover(String name, Integer bounceTo) {
            this.name = name;
            this.bounceTo = bounceTo;
        }

        @SuppressWarnings("unchecked")
        void move(Socket<String> s, int k, ByteBuffer rest) {
            s.moveTo((SocketContext<?, String>) contexts[k], "from-" + name, rest);
        }

        @Override
        public void onAdopted(Socket<String> s) {
            assertTrue(s.loop().isOnLoopThread());
            adoptions.add(name + "@" + Thread.currentThread().getName() + ":" + s.state());
            if (name.equals("c4")) throw new IllegalStateException("handler bug (expected by test)");
            if (bounceTo != null) move(s, bounceTo, null);
        }

        @Override
        public void onData(Socket<String> s, ByteBuffer data) {
            byte first = data.get(data.position());
            if (first == '>') {
                data.get();
                move(s, data.get() - '0', data);
            } else if (first == '!' ) { // a big reply the client does not read yet, then a move to 1
                data.get();
                byte[] big = pattern(8 << 20);
                s.write(ByteBuffer.wrap(big));
                adoptions.add("buffered-at-move:" + (s.bufferedAmount() > 0)); // before: loop 1 may adopt at once
                move(s, 1, null);
            } else if (first == 'T') { // idle timeout armed on whatever loop owns the socket
                s.timeout(Duration.ofMillis(300));
            } else if (first == 'C') {
                s.close();
            } else if (s.bufferedAmount() > (1 << 20)) {
                s.write(data);
                s.pauseReading();
            } else {
                s.write(data);
            }
        }

        @Override
        public void onWritable(Socket<String> s) {
            s.resumeReading();
        }

        @Override
        public void onClose(Socket<String> s, int code) {
            closes.add(name + ":" + CloseCode.name(code) + "@" + Thread.currentThread().getName());
        }
    }

    @BeforeEach
    void start() throws Exception {
        group = LoopGroup.create(2).start();
        Loop l0 = group.loop(0), l1 = group.loop(1);
        contexts[0] = OnLoop.call(l0, () -> SocketContext.create(l0, null, new Mover("c0", null)));
        contexts[1] = OnLoop.call(l1, () -> SocketContext.create(l1, null, new Mover("c1", null)));
        contexts[2] = OnLoop.call(l0, () -> SocketContext.create(l0, null, new Mover("c2", null)));
        contexts[3] = OnLoop.call(l1, () -> SocketContext.create(l1, null, new Mover("c3", 0)));
        contexts[4] = OnLoop.call(l1, () -> SocketContext.create(l1, null, new Mover("c4", null)));
        port = OnLoop.call(l0, () -> contexts[0].listen("127.0.0.1", 0).port());
    }

    @AfterEach
    void stop() {
        group.close();
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ('a' + (i * 7 + (i >>> 11)) % 26); // no command bytes
        return b;
    }

    private static String roundTrip(java.net.Socket c, String text) throws Exception {
        c.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        return readText(c, text.length());
    }

    private static String readText(java.net.Socket c, int n) throws Exception {
        return new String(c.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private String nextAdoption() throws InterruptedException {
        String a = adoptions.poll(10, TimeUnit.SECONDS);
        assertNotNull(a, "no onAdopted within 10 s");
        return a;
    }

    private String nextClose() throws InterruptedException {
        String a = closes.poll(10, TimeUnit.SECONDS);
        assertNotNull(a, "no onClose within 10 s");
        return a;
    }

    @Test
    void echoWorksAfterMovingToAnotherLoopAndTheSourceSeesMoved() throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            assertEquals("before", roundTrip(c, "before"));
            // The bytes after the command were read by loop 0 and are handed over as unread data.
            c.getOutputStream().write(">1hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello", readText(c, 5));
            assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
            assertEquals("c0:MOVED@gust-loop-0", nextClose());
            for (int i = 0; i < 20; i++) assertEquals("again" + i, roundTrip(c, "again" + i));
            c.getOutputStream().write('C');
            assertEquals(-1, c.getInputStream().read(), "closed by the new owner");
            assertEquals("c1:CLEAN@gust-loop-1", nextClose());
        }
    }

    @Test
    void movesWithinOneLoopAndBackAndForthBetweenLoops() throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">2".getBytes(StandardCharsets.US_ASCII)); // same loop: NIO's cancelled-key rule
            assertEquals("c2@gust-loop-0:from-c0", nextAdoption());
            assertEquals("same", roundTrip(c, "same"));
            for (int round = 0; round < 10; round++) {
                // To loop 1, whose onAdopted moves it straight back to loop 0.
                c.getOutputStream().write(">3".getBytes(StandardCharsets.US_ASCII));
                assertTrue(nextAdoption().startsWith("c3@gust-loop-1"));
                assertEquals("c0@gust-loop-0:from-c3", nextAdoption());
                assertEquals("round" + round, roundTrip(c, "round" + round));
            }
        }
    }

    @Test
    void dataSentDuringTheMoveIsNotLost() throws Exception {
        byte[] stream = pattern(4 << 20);
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.getInputStream().readNBytes(stream.length);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream out = c.getOutputStream();
            out.write(">1".getBytes(StandardCharsets.US_ASCII));
            out.write(stream); // without waiting: part is read by loop 0, part waits in the kernel, part follows
            assertArrayEquals(stream, echoed.get(30, TimeUnit.SECONDS));
            assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
        }
    }

    @Test
    void bytesBufferedForASlowPeerTravelWithTheConnection() throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write('!');
            assertEquals("buffered-at-move:true", adoptions.poll(10, TimeUnit.SECONDS));
            assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
            c.getOutputStream().write("tail".getBytes(StandardCharsets.US_ASCII)); // echoed by loop 1, after the 8 MiB
            byte[] got = c.getInputStream().readNBytes((8 << 20) + 4);
            assertArrayEquals(pattern(8 << 20), java.util.Arrays.copyOf(got, 8 << 20));
            assertEquals("tail", new String(got, 8 << 20, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void timeoutsRunOnTheNewLoop() throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">1".getBytes(StandardCharsets.US_ASCII));
            assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
            assertEquals("c0:MOVED@gust-loop-0", nextClose());
            c.getOutputStream().write('T');
            c.setSoTimeout(10_000);
            assertEquals(-1, c.getInputStream().read(), "the idle timeout closed it");
            assertEquals("c1:TIMEOUT@gust-loop-1", nextClose());
        }
    }

    @Test
    void aThrowingOnAdoptedClosesThatConnectionOnlyAndThePeerGoneMidMoveIsNoticed() throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">4".getBytes(StandardCharsets.US_ASCII));
            assertEquals("c4@gust-loop-1:from-c0", nextAdoption());
            assertEquals("c0:MOVED@gust-loop-0", nextClose());
            assertEquals("c4:CALLBACK_ERROR@gust-loop-1", nextClose());
            c.setSoTimeout(10_000);
            assertThrows(java.io.IOException.class, () -> {
                if (c.getInputStream().read() != -1) fail("expected the connection to be reset");
                throw new java.io.IOException("EOF is fine too");
            });
        }
        // The peer sends the move and is gone before loop 1 adopts: the new owner sees it end, nothing hangs.
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">1".getBytes(StandardCharsets.US_ASCII));
            c.setSoLinger(true, 0);
        }
        assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
        assertEquals("c0:MOVED@gust-loop-0", nextClose());
        String last = nextClose();
        assertTrue(last.equals("c1:PEER_RESET@gust-loop-1") || last.equals("c1:CLEAN@gust-loop-1"), last);
        // Both loops still serve new connections.
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">1".getBytes(StandardCharsets.US_ASCII));
            assertEquals("c1@gust-loop-1:from-c0", nextAdoption());
            assertEquals("alive", roundTrip(c, "alive"));
        }
    }

    @Test
    void badCallsFailClearly() throws Exception {
        Loop l0 = group.loop(0), l1 = group.loop(1);
        AtomicReference<Socket<Object>> held = new AtomicReference<>();
        CompletableFuture<Void> opened = new CompletableFuture<>();
        SocketContext<Void, Object> holder = OnLoop.call(l0, () -> SocketContext.<Void, Object>create(l0, null, new SocketHandler<Object>() {
            @Override
            public void onOpen(Socket<Object> s, boolean isClient, InetSocketAddress remote) {
                held.set(s);
                opened.complete(null);
            }

            @Override
            public void onData(Socket<Object> s, ByteBuffer data) {
                s.write(data);
            }
        }));
        int holderPort = OnLoop.call(l0, () -> holder.listen("127.0.0.1", 0).port());
        SocketContext<Void, Object> target = OnLoop.call(l1, () -> SocketContext.<Void, Object>create(l1, null, new SocketHandler<Object>() {}));
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", holderPort)) {
            opened.get(10, TimeUnit.SECONDS);
            Socket<Object> s = held.get();

            WrongThreadException wrong = assertThrows(WrongThreadException.class, () -> s.moveTo(target, null));
            assertTrue(wrong.getMessage().contains("Socket.moveTo"), wrong.getMessage());

            SocketContext<Void, Object> closedTarget = OnLoop.call(l1, () -> {
                var ctx = SocketContext.<Void, Object>create(l1, null, new SocketHandler<Object>() {});
                ctx.close();
                return ctx;
            });
            assertMoveFails(l0, () -> s.moveTo(closedTarget, null), "target context is closed");

            SocketContext<Void, Object> tlsTarget = OnLoop.call(l1, () -> SocketContext.create(l1, null,
                    new SocketHandler<Object>() {}, SocketOptions.defaults().withTls(
                            TlsOptions.server(TestCertificates.localhost().serverContext()))));
            assertMoveFails(l0, () -> s.moveTo(tlsTarget, null), "target context is TLS");

            try (Loop other = Loop.create(LoopOptions.defaults().withTransport(otherTransport())).start()) {
                var foreign = OnLoop.call(other, () -> SocketContext.<Void, Object>create(other, null, new SocketHandler<Object>() {}));
                assertMoveFails(l0, () -> s.moveTo(foreign, null), "transport");
            }

            // After refused moves the socket is untouched and still serves its peer on its own loop.
            assertEquals("still here", roundTrip(c, "still here"));

            OnLoop.run(l0, s::close);
            assertMoveFails(l0, () -> s.moveTo(target, null), "is closed");
        }

        // A client socket that is still connecting cannot move.
        String notYet = OnLoop.call(l0, () -> {
            Socket<Object> connecting = holder.connect("127.0.0.1", holderPort);
            try {
                connecting.moveTo(target, null);
                return "moved?!";
            } catch (IllegalStateException e) {
                return e.getMessage();
            } finally {
                connecting.abort();
            }
        });
        assertTrue(notYet.contains("not connected yet"), notYet);
    }

    @Test
    void aTlsSocketIsRefused() throws Exception {
        Loop l0 = group.loop(0), l1 = group.loop(1);
        CompletableFuture<String> refused = new CompletableFuture<>();
        SocketContext<Void, Object> target = OnLoop.call(l1, () -> SocketContext.<Void, Object>create(l1, null, new SocketHandler<Object>() {}));
        int tlsPort = OnLoop.call(l0, () -> SocketContext.<Void, Object>create(l0, null, new SocketHandler<Object>() {
            @Override
            public void onOpen(Socket<Object> s, boolean isClient, InetSocketAddress remote) {
                try {
                    s.moveTo(target, null);
                    refused.complete("moved?!");
                } catch (IllegalStateException e) {
                    refused.complete(e.getMessage());
                }
                s.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        }, SocketOptions.defaults().withTls(TlsOptions.server(TestCertificates.localhost().serverContext())))
                .listen("127.0.0.1", 0).port());
        try (SSLSocket c = (SSLSocket) TestCertificates.clientContext().getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            c.startHandshake();
            assertEquals("ok", new String(new DataInputStream(c.getInputStream()).readNBytes(2), StandardCharsets.US_ASCII));
            assertTrue(refused.get(10, TimeUnit.SECONDS).contains("is TLS"), refused.get());
        }
    }

    @Test
    void aConnectionHandedToAContextThatClosesMeanwhileIsClosed() throws Exception {
        Loop l1 = group.loop(1);
        // Loop 1 is held in a task that closes the target context once the hand-off is queued behind it.
        CompletableFuture<Void> release = new CompletableFuture<>();
        l1.defer(() -> {
            release.join();
            contexts[1].close();
        });
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
            c.getOutputStream().write(">1".getBytes(StandardCharsets.US_ASCII));
            assertEquals("c0:MOVED@gust-loop-0", nextClose()); // the adoption is queued on loop 1 now
            release.complete(null);
            c.setSoTimeout(10_000);
            assertEquals(-1, c.getInputStream().read(), "the connection is closed, not leaked");
            assertNull(adoptions.poll(200, TimeUnit.MILLISECONDS), "no onAdopted for a closed context");
        }
    }

    private static void assertMoveFails(Loop loop, Runnable move, String messagePart) throws Exception {
        String message = OnLoop.call(loop, () -> {
            try {
                move.run();
                return "no exception";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertTrue(message.contains(messagePart), "expected '" + messagePart + "' in: " + message);
    }

    private static dev.gust.loop.spi.Transport otherTransport() {
        String current = LoopOptions.defaults().transport().name();
        return current.equals("nio") ? Transports.named("epoll") : NioTransport.INSTANCE;
    }
}

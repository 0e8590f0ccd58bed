package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebSocketServerTest {
    private App app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    private App echoApp() {
        return Gust.app().ws("/*", WebSocketBehavior.builder().message((ws, msg) -> ws.send(msg)).build()).listen("127.0.0.1", 0);
    }

    @Test
    void echoesTextBinaryLargeAndFragmentedMessagesWithTheJdkClient() throws Exception {
        app = echoApp();
        JdkWsClient c = JdkWsClient.connect(app.port(), "/echo");
        c.ws.sendText("hello", true).join();
        assertEquals("hello", c.nextText());
        c.ws.sendText("héllo wörld ✓", true).join();
        assertEquals("héllo wörld ✓", c.nextText());
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) c.next());
        byte[] big = new byte[10 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 13);
        c.ws.sendBinary(ByteBuffer.wrap(big), true).join();
        assertArrayEquals(big, (byte[]) c.next());
        c.ws.sendText("frag", false).join();
        c.ws.sendText("men", false).join();
        c.ws.sendText("ted", true).join();
        assertEquals("fragmented", c.nextText());
        c.ws.sendClose(1000, "done").join();
        assertEquals(1000, c.closed.get(5, TimeUnit.SECONDS)[0]);
    }

    @Test
    void pubSubDeliversToOthersFromASocketAndToAllFromTheApp() throws Exception {
        app = Gust.app().ws("/room/:name", WebSocketBehavior.builder()
                .open(ws -> ws.subscribe(ws.param("name")))
                .message((ws, msg) -> ws.publish(ws.param("name"), msg))
                .build()).listen("127.0.0.1", 0);
        JdkWsClient a = JdkWsClient.connect(app.port(), "/room/blue");
        JdkWsClient b = JdkWsClient.connect(app.port(), "/room/blue");
        JdkWsClient c = JdkWsClient.connect(app.port(), "/room/blue");
        JdkWsClient other = JdkWsClient.connect(app.port(), "/room/red");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.numSubscribers("blue") < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(3, app.numSubscribers("blue"));
        assertEquals(1, app.numSubscribers("red"));
        a.ws.sendText("from a", true).join();
        assertEquals("from a", b.nextText());
        assertEquals("from a", c.nextText());
        app.publish("blue", "to everyone");
        assertEquals("to everyone", a.nextText());
        assertEquals("to everyone", b.nextText());
        assertEquals("to everyone", c.nextText());
        assertNull(a.messages.poll(200, TimeUnit.MILLISECONDS), "the sender does not get its own publish");
        assertTrue(other.messages.isEmpty(), "other topics get nothing");
        a.ws.abort();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (app.numSubscribers("blue") > 2 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(2, app.numSubscribers("blue"), "a closed socket is unsubscribed");
        long[] counters = app.pubSubCounters();
        assertTrue(counters[1] >= 5, "deliveries counted: " + counters[1]);
    }

    @Test
    void upgradeAttachesDataParamsAndSubprotocolOrRejects() throws Exception {
        record User(String name) {}
        CompletableFuture<String> seen = new CompletableFuture<>();
        app = Gust.app().ws("/chat/:room", WebSocketBehavior.<User>builder()
                .subprotocols("v2.chat", "v1.chat")
                .upgrade((req, res, ctx) -> {
                    String name = req.query("name");
                    if (name == null) res.reject(401, "name required");
                    else res.upgrade(new User(name), ctx);
                })
                .open(ws -> seen.complete(ws.data().name() + "@" + ws.param("room") + "/" + ws.subprotocol()))
                .build()).listen("127.0.0.1", 0);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/chat/lobby?name=ann", "v1.chat", "v2.chat");
        assertEquals("ann@lobby/v2.chat", seen.get(5, TimeUnit.SECONDS));
        assertEquals("v2.chat", c.ws.getSubprotocol());
        try (RawWs raw = RawWs.request(app.port(), "GET /chat/lobby HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
            assertTrue(raw.readHead().startsWith("HTTP/1.1 401"));
        }
    }

    @Test
    void badHandshakesGetTheRightStatus() throws Exception {
        app = echoApp();
        String base = "GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        String[][] cases = {
            {base + "Sec-WebSocket-Version: 13\r\n\r\n", "400"},                                          // no key
            {base + "Sec-WebSocket-Key: short==\r\nSec-WebSocket-Version: 13\r\n\r\n", "400"},           // bad key
            {base + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 8\r\n\r\n", "426"},
            {"GET /x HTTP/1.1\r\nHost: x\r\n\r\n", "426"},                                                // not an upgrade
        };
        for (String[] c : cases) {
            try (RawWs raw = RawWs.request(app.port(), c[0])) {
                String head = raw.readHead();
                assertTrue(head.startsWith("HTTP/1.1 " + c[1]), "expected " + c[1] + " got " + head);
                if (c[1].equals("426") && c[0].contains("Version: 8")) assertTrue(head.contains("Sec-WebSocket-Version: 13"));
            }
        }
        JdkWsClient ok = JdkWsClient.connect(app.port(), "/x");
        ok.ws.sendText("still fine", true).join();
        assertEquals("still fine", ok.nextText());
    }

    @Test
    void protocolViolationsAreAnsweredWithTheRfcCloseCode() throws Exception {
        app = Gust.app().ws("/*", WebSocketBehavior.builder().maxPayloadLength(1000).message((ws, m) -> ws.send(m)).build())
                .listen("127.0.0.1", 0);
        byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};
        Object[][] cases = {
            {RawWs.frame(0x81, "unmasked".getBytes(), false), 1002},
            {RawWs.frame(0x81, invalidUtf8, true), 1007},
            {RawWs.frame(0x82, new byte[2000], true), 1009},
            {RawWs.frame(0x83, new byte[1], true), 1002},          // reserved opcode
            {RawWs.frame(0xC1, "x".getBytes(), true), 1002},        // RSV1 without extension
            {RawWs.frame(0x89, new byte[126], true), 1002},         // control frame too long
            {RawWs.frame(0x09, new byte[1], true), 1002},           // fragmented control frame
            {RawWs.frame(0x80, "x".getBytes(), true), 1002},        // continuation without a message
            {RawWs.frame(0x88, new byte[] {3, (byte) 0xE7}, true), 1002}, // close code 999
        };
        for (Object[] c : cases) {
            try (RawWs raw = RawWs.connect(app.port(), "/")) {
                raw.raw((byte[]) c[0]);
                RawWs.Frame close = raw.readUntilClose();
                assertEquals((int) c[1], close.closeCode());
                assertTrue(raw.serverClosedTcp(), "TCP closed after the close frame");
            }
        }
        try (RawWs raw = RawWs.connect(app.port(), "/")) {
            raw.sendText("healthy");
            assertEquals("healthy", raw.readFrame().text());
        }
    }

    @Test
    void closeHandshakeBothWaysAndCodesSeenByTheClient() throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        app = Gust.app().ws("/*", WebSocketBehavior.builder()
                .message((ws, m) -> {
                    if (m.text().equals("bye")) ws.close(4001, "server says bye");
                })
                .close((ws, code, reason) -> serverSaw.complete(code + ":" + reason))
                .build()).listen("127.0.0.1", 0);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/");
        c.ws.sendText("bye", true).join();
        assertEquals(4001, c.closed.get(5, TimeUnit.SECONDS)[0]);
        assertEquals("server says bye", c.closeReason.get());
        assertEquals("4001:server says bye", serverSaw.get(5, TimeUnit.SECONDS));

        CompletableFuture<String> second = new CompletableFuture<>();
        app.close();
        app = Gust.app().ws("/*", WebSocketBehavior.builder()
                .close((ws, code, reason) -> second.complete(code + ":" + reason)).build()).listen("127.0.0.1", 0);
        try (RawWs raw = RawWs.connect(app.port(), "/")) {
            raw.sendClose(3000, "client leaves");
            RawWs.Frame echo = raw.readFrame();
            assertEquals(8, echo.opcode());
            assertEquals(3000, echo.closeCode());
            assertTrue(raw.serverClosedTcp());
        }
        assertEquals("3000:client leaves", second.get(5, TimeUnit.SECONDS));
    }

    @Test
    void pingIsAnsweredAndIdleConnectionsArePingedThenClosed() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        app = Gust.app().ws("/*", WebSocketBehavior.builder()
                .idleTimeout(Duration.ofMillis(600))
                .close((ws, code, reason) -> closed.complete(code))
                .build()).listen("127.0.0.1", 0);
        try (RawWs raw = RawWs.connect(app.port(), "/")) {
            raw.sendFrame(0x89, "are you there".getBytes());
            RawWs.Frame pong = raw.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("are you there", pong.text());
            RawWs.Frame ping = raw.readFrame(); // the server's automatic ping halfway through the idle timeout
            assertEquals(0x9, ping.opcode());
            // never answer: the connection is closed at the idle timeout
            assertTrue(raw.serverClosedTcp());
        }
        assertEquals(1006, closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void slowSubscriberGetsDroppedMessagesReportedNotSilentlyLost() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        CountDownLatch subscribed = new CountDownLatch(1);
        app = Gust.app().ws("/*", WebSocketBehavior.builder()
                .maxBackpressure(256 * 1024)
                .open(ws -> { ws.subscribe("firehose"); subscribed.countDown(); })
                .dropped((ws, bytes) -> dropped.incrementAndGet())
                .build()).listen("127.0.0.1", 0);
        try (RawWs raw = RawWs.connect(app.port(), "/")) {
            raw.socket.setReceiveBufferSize(4096);
            assertTrue(subscribed.await(5, TimeUnit.SECONDS));
            String chunk = "x".repeat(16 * 1024);
            for (int i = 0; i < 400; i++) app.publish("firehose", chunk); // ~6.4 MB to a client that never reads
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dropped.get() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(dropped.get() > 0, "drops reported");
            long[] c = app.pubSubCounters();
            assertEquals(c[2], dropped.get(), "the counter matches the events");
            assertEquals(400, c[1] + c[2], "every publish was either delivered or counted as dropped");
        }
    }

    @Test
    void callbackThatThrowsClosesOnlyItsConnectionWith1011() throws Exception {
        app = Gust.app().ws("/*", WebSocketBehavior.builder().message((ws, m) -> {
            if (m.text().equals("boom")) throw new IllegalStateException("handler bug (expected by test)");
            ws.send(m);
        }).build()).listen("127.0.0.1", 0);
        JdkWsClient bad = JdkWsClient.connect(app.port(), "/");
        JdkWsClient good = JdkWsClient.connect(app.port(), "/");
        bad.ws.sendText("boom", true).join();
        assertEquals(1011, bad.closed.get(5, TimeUnit.SECONDS)[0]);
        good.ws.sendText("ok", true).join();
        assertEquals("ok", good.nextText());
    }

    @Test
    void appCloseSendsGoingAwayToEveryConnection() throws Exception {
        app = echoApp();
        JdkWsClient a = JdkWsClient.connect(app.port(), "/");
        JdkWsClient b = JdkWsClient.connect(app.port(), "/");
        // the JDK client answers the close frame by itself, completing the handshake
        Thread closer = Thread.ofPlatform().start(app::close);
        assertEquals(1001, a.closed.get(10, TimeUnit.SECONDS)[0]);
        assertEquals(1001, b.closed.get(10, TimeUnit.SECONDS)[0]);
        closer.join(15_000);
        assertFalse(closer.isAlive());
        app = null;
    }

    @Test
    void blockingStyleEchoOnAVirtualThread() throws Exception {
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        app = Gust.app().wsBlocking("/echo", ws -> {
            virtual.add(Thread.currentThread().isVirtual());
            for (var msg : ws) ws.send(msg);
        }).listen("127.0.0.1", 0);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/echo");
        for (int i = 0; i < 100; i++) c.ws.sendText("m" + i, true).join();
        for (int i = 0; i < 100; i++) assertEquals("m" + i, c.nextText());
        assertEquals(List.of(true), virtual);
        c.ws.sendClose(1000, "").join();
        assertEquals(1000, c.closed.get(5, TimeUnit.SECONDS)[0]);
    }

    @Test
    void maxLifetimeClosesWithGoingAway() throws Exception {
        app = Gust.app().ws("/*", WebSocketBehavior.builder().maxLifetime(Duration.ofMillis(300)).build()).listen("127.0.0.1", 0);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/");
        assertEquals(1001, c.closed.get(5, TimeUnit.SECONDS)[0]);
    }

    @Test
    void sendJsonUsesTheCodec() throws Exception {
        record Point(int x, String label) {}
        app = Gust.app().ws("/*", WebSocketBehavior.builder().open(ws -> ws.sendJson(new Point(3, "a\"b"))).build())
                .listen("127.0.0.1", 0);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/");
        assertEquals("{\"x\":3,\"label\":\"a\\\"b\"}", c.nextText());
    }
}

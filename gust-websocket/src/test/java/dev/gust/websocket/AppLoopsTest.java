package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.http.HttpServerOptions;
import dev.gust.loop.Loop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An app on several loops: clients spread over the loop threads, and pub/sub reaches subscribers on
 * every loop exactly once and in order. Each client learns its loop from the first message the
 * server sends (the loop thread's name), so the tests can tell the loops apart.
 */
@Timeout(90)
class AppLoopsTest {
    private App app;
    private final List<RawWs> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawWs c : clients) c.close();
        if (app != null) app.close();
    }

    /** A chat: join room {@code :name} on open (announcing the loop), publish what you say, "unsub" leaves. */
    private static WebSocketBehavior<Void> room() {
        return WebSocketBehavior.<Void>builder()
                .open(ws -> {
                    ws.subscribe(ws.param("name"));
                    ws.send("loop " + Thread.currentThread().getName());
                })
                .message((ws, msg) -> {
                    String text = msg.isText() ? msg.text() : "";
                    if (text.equals("unsub")) ws.send("unsubscribed " + ws.unsubscribe(ws.param("name")));
                    else ws.publish(ws.param("name"), msg);
                })
                .build();
    }

    /** A connected client and the loop thread it landed on. */
    private record Client(RawWs ws, String loop) {}

    private Client connect(String path) throws IOException {
        RawWs ws = RawWs.connect(app.port(), path);
        clients.add(ws);
        String hello = ws.readFrame().text();
        assertTrue(hello.startsWith("loop "), hello);
        return new Client(ws, hello.substring(5));
    }

    /** Connects until every loop has at least {@code perLoop} clients (bounded); returns them by loop. */
    private Map<String, List<Client>> connectOnEveryLoop(String path, int perLoop) throws IOException {
        Map<String, List<Client>> byLoop = new LinkedHashMap<>();
        for (Loop l : app.loops()) byLoop.put(l.name(), new ArrayList<>());
        for (int i = 0; i < 200 && byLoop.values().stream().anyMatch(list -> list.size() < perLoop); i++) {
            Client c = connect(path);
            assertTrue(byLoop.containsKey(c.loop()), "served on one of the app's loops: " + c.loop());
            byLoop.get(c.loop()).add(c);
        }
        for (var e : byLoop.entrySet()) {
            assertTrue(e.getValue().size() >= perLoop, "clients reached loop " + e.getKey() + ": " + byLoop);
        }
        return byLoop;
    }

    private static List<Client> all(Map<String, List<Client>> byLoop) {
        return byLoop.values().stream().flatMap(List::stream).toList();
    }

    @Test
    void aClientsPublishReachesSubscribersOnEveryLoopOnceAndInOrderButNotItself() throws Exception {
        app = Gust.app(3).ws("/room/:name", room()).listen("127.0.0.1", 0);
        assertEquals(3, app.loops().size());
        Map<String, List<Client>> byLoop = connectOnEveryLoop("/room/blue", 2);
        List<Client> everyone = all(byLoop);
        assertEquals(everyone.size(), app.numSubscribers("blue"), "subscribers summed over the loops");
        Client publisher = byLoop.values().iterator().next().getFirst();
        int n = 200;
        for (int i = 0; i < n; i++) publisher.ws().sendText("m" + i);
        for (Client c : everyone) {
            if (c == publisher) continue;
            for (int i = 0; i < n; i++) assertEquals("m" + i, c.ws().readFrame().text(), "on " + c.loop());
        }
        // Everyone else has all 200; a publish from the app now must be the very next frame for all,
        // the publisher included: no duplicate and no echo to the publisher came before it.
        app.publish("blue", "end");
        for (Client c : everyone) assertEquals("end", c.ws().readFrame().text(), "on " + c.loop());
        long[] counters = app.pubSubCounters();
        assertEquals(n + 1, counters[0], "each publish counted once, not once per loop");
        assertEquals((long) n * (everyone.size() - 1) + everyone.size(), counters[1], "deliveries summed over the loops");
        assertEquals(0, counters[2]);
    }

    @Test
    void appPublishFromAnyThreadReachesEveryLoopInOrder() throws Exception {
        app = Gust.app(2).ws("/room/:name", room()).listen("127.0.0.1", 0);
        List<Client> everyone = all(connectOnEveryLoop("/room/news", 2));
        Thread publisher = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 300; i++) {
                if (i % 3 == 0) app.publishBinary("news", new byte[] {(byte) i, (byte) (i >> 8)});
                else app.publish("news", "n" + i);
            }
        });
        for (Client c : everyone) {
            for (int i = 0; i < 300; i++) {
                RawWs.Frame f = c.ws().readFrame();
                if (i % 3 == 0) {
                    assertEquals(2, f.opcode(), "binary on " + c.loop());
                    assertEquals(i, (f.payload()[0] & 0xFF) | (f.payload()[1] & 0xFF) << 8);
                } else {
                    assertEquals("n" + i, f.text(), "on " + c.loop());
                }
            }
        }
        publisher.join(10_000);
        assertEquals(300, app.pubSubCounters()[0]);
    }

    @Test
    void publishesReachOnlyLoopsWithSubscribersAndWildcardFiltersOnEveryLoop() throws Exception {
        app = Gust.app(HttpServerOptions.defaults().withLoops(2), true).ws("/room/:name", room()).listen("127.0.0.1", 0);
        List<Client> everyone = all(connectOnEveryLoop("/room/" + java.net.URLEncoder.encode("scores/+", "UTF-8"), 1));
        Client sender = connect("/room/scores%2Fgoal");
        sender.ws().sendText("1:0");
        for (Client c : everyone) assertEquals("1:0", c.ws().readFrame().text(), "filter subscriber on " + c.loop());
        app.publish("scores/final", "2:1");
        for (Client c : everyone) assertEquals("2:1", c.ws().readFrame().text());
    }

    @Test
    void unsubscribeAndCloseKeepTheCountsRightOverAllLoops() throws Exception {
        app = Gust.app(3).ws("/room/:name", room()).listen("127.0.0.1", 0);
        Map<String, List<Client>> byLoop = connectOnEveryLoop("/room/q", 2);
        List<Client> everyone = all(byLoop);
        int total = everyone.size();
        assertEquals(total, app.numSubscribers("q"));
        assertTrue(waitFor(() -> app.stats().webSockets() == total), "webSockets summed: " + app.stats());
        assertEquals(total, app.stats().httpConnections());
        // One client per loop unsubscribes; one other per loop closes.
        int left = total;
        for (List<Client> onLoop : byLoop.values()) {
            Client leaver = onLoop.get(0);
            leaver.ws().sendText("unsub");
            assertEquals("unsubscribed true", leaver.ws().readFrame().text());
            left--;
            onLoop.get(1).ws().sendClose(1000, "bye");
            assertEquals(1000, onLoop.get(1).ws().readUntilClose().closeCode());
            onLoop.get(1).ws().close(); // the server closes once the client's TCP is gone too
            left--;
        }
        int expected = left;
        assertTrue(waitFor(() -> app.numSubscribers("q") == expected), "now " + app.numSubscribers("q") + ", expected " + expected);
        int open = total - byLoop.size();
        assertTrue(waitFor(() -> app.stats().webSockets() == open), "open " + app.stats().webSockets());
        app.publish("q", "after");
        for (List<Client> onLoop : byLoop.values()) {
            for (int i = 2; i < onLoop.size(); i++) assertEquals("after", onLoop.get(i).ws().readFrame().text());
        }
        assertEquals(expected, app.pubSubCounters()[1], "only the remaining subscribers got it");
        assertTrue(app.stats().loopIterations() > 0);
    }

    @Test
    void blockingStyleWebSocketsWorkOnEveryLoop() throws Exception {
        app = Gust.app(2).wsBlocking("/echo",
                WebSocketBehavior.<String>builder()
                        .upgrade((req, res, ctx) -> res.upgrade(Thread.currentThread().getName(), ctx)) // on the loop
                        .build(),
                ws -> {
                    ws.send("loop " + ws.data());
                    for (var msg : ws) ws.send("echo " + msg.text());
                })
                .listen("127.0.0.1", 0);
        List<Client> everyone = all(connectOnEveryLoop("/echo", 2));
        for (Client c : everyone) c.ws().sendText("hi from " + c.loop());
        for (Client c : everyone) assertEquals("echo hi from " + c.loop(), c.ws().readFrame().text());
    }

    @Test
    void gracefulShutdownSendsGoingAwayOnEveryLoop() throws Exception {
        app = Gust.app(3).ws("/room/:name", room()).listen("127.0.0.1", 0);
        List<Client> everyone = all(connectOnEveryLoop("/room/z", 1));
        int port = app.port();
        Thread closer = Thread.ofPlatform().start(app::close);
        Set<String> saidGoodbye = new HashSet<>();
        for (Client c : everyone) {
            RawWs.Frame close = c.ws().readUntilClose();
            assertEquals(1001, close.closeCode(), "on " + c.loop());
            c.ws().sendClose(1001, "");
            c.ws().close();
            saidGoodbye.add(c.loop());
        }
        assertEquals(3, saidGoodbye.size());
        closer.join(20_000);
        assertFalse(closer.isAlive());
        app = null;
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
    }

    @Test
    void appPublishOfAReceivedMessageOffTheLoopsIsRefused() throws Exception {
        app = Gust.app(2).ws("/room/:name", room()).listen("127.0.0.1", 0);
        assertThrows(WrongThreadException.class, () -> app.publish("x", new WebSocketMessage()));
    }

    @Test
    void loopsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Gust.app(0));
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }
}

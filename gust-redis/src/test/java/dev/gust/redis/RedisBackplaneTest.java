package dev.gust.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.App;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class RedisBackplaneTest {
    private RedisProcess redis;
    private App a, b;

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (redis != null) redis.close();
    }

    /** A room server: every socket joins the room; a message goes to everyone else in the room (all nodes). */
    private static App node(RedisBackplane backplane) {
        return Gust.app()
                .ws("/room", WebSocketBehavior.builder()
                        .open(ws -> ws.subscribe("room"))
                        .message((ws, msg) -> ws.publish("room", msg))
                        .build())
                .backplane(backplane)
                .listen("127.0.0.1", 0);
    }

    /** A room server on {@code loops} loops; each socket is first told the loop thread it is on. */
    private static App nodeOnLoops(RedisBackplane backplane, int loops) {
        return Gust.app(loops)
                .ws("/room", WebSocketBehavior.builder()
                        .open(ws -> {
                            ws.subscribe("room");
                            ws.send("loop " + Thread.currentThread().getName());
                        })
                        .message((ws, msg) -> ws.publish("room", msg))
                        .build())
                .backplane(backplane)
                .listen("127.0.0.1", 0);
    }

    /** JDK WebSocket client collecting text messages. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        final StringBuilder part = new StringBuilder();
        WebSocket ws;

        static Client connect(App app) throws Exception {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/room"), c).get(10, TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                got.add(part.toString());
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String m = got.poll(10, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("no message within 10 s");
            return m;
        }

        void assertNothingMore() throws InterruptedException {
            assertNull(got.poll(300, TimeUnit.MILLISECONDS), "a message arrived twice or unexpectedly");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void publishOnOneNodeReachesSubscribersOnBothExactlyOnce() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pa = RedisBackplane.connect(redis.uri()), pb = RedisBackplane.connect(redis.uri());
        a = node(pa);
        b = node(pb);
        Client a1 = Client.connect(a), a2 = Client.connect(a), b1 = Client.connect(b), b2 = Client.connect(b);
        await(() -> redis.numSub("gust:room") == 2, "both nodes subscribed in Redis");
        a1.ws.sendText("hello from a1", true).join();
        assertEquals("hello from a1", a2.next());
        assertEquals("hello from a1", b1.next());
        assertEquals("hello from a1", b2.next());
        b.publish("room", "from node b");
        for (Client c : new Client[] {a1, a2, b1, b2}) assertEquals("from node b", c.next());
        for (int i = 0; i < 20; i++) b2.ws.sendText("m" + i, true).join();
        for (int i = 0; i < 20; i++) assertEquals("m" + i, a1.next(), "order per publisher kept");
        for (Client c : new Client[] {a1, a2, b1, b2}) {
            if (c != a1) c.got.removeIf(m -> m.startsWith("m"));
            c.assertNothingMore();
        }
        assertEquals(0, pa.unrelayed() + pb.unrelayed());
        assertTrue(pb.received() >= 1 && pa.received() >= 21, "a=" + pa.received() + " b=" + pb.received());
    }

    @Test
    void onlyTopicsWithSubscribersAreSubscribedInRedis() throws Exception {
        redis = RedisProcess.start();
        a = node(RedisBackplane.connect(redis.uri()));
        assertEquals(0, redis.numSub("gust:room"));
        Client c = Client.connect(a);
        await(() -> redis.numSub("gust:room") == 1, "subscribed on first subscriber");
        c.ws.abort();
        await(() -> redis.numSub("gust:room") == 0, "unsubscribed when the last subscriber left");
    }

    @Test
    void redisDownAtStartFailsClearlyOrStartsDegraded() throws Exception {
        int port = RedisProcess.freePort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBackplane.connect("redis://127.0.0.1:" + port));
        assertTrue(e.getMessage().contains("cannot reach Redis"), e.getMessage());

        RedisBackplane degraded = RedisBackplane.connect("redis://127.0.0.1:" + port,
                RedisBackplane.Options.defaults().withStartDegraded(true));
        a = node(degraded);
        Client local = Client.connect(a), other = Client.connect(a);
        local.ws.sendText("while redis is down", true).join();
        assertEquals("while redis is down", other.next(), "local delivery works without Redis");
        await(() -> degraded.unrelayed() == 1, "the unrelayed publish is counted");
        redis = new RedisProcess(port);
        redis.startProcess();
        await(degraded::isConnected, "connected once Redis is up");
        await(() -> redis.numSub("gust:room") == 1, "subscriptions made while degraded reach Redis");
    }

    @Test
    void redisRestartMidRunReconnectsResubscribesAndCountsWhatWasNotRelayed() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pa = RedisBackplane.connect(redis.uri()), pb = RedisBackplane.connect(redis.uri());
        a = node(pa);
        b = node(pb);
        Client a1 = Client.connect(a), b1 = Client.connect(b);
        await(() -> redis.numSub("gust:room") == 2, "both nodes subscribed");
        a.publish("room", "before");
        assertEquals("before", a1.next());
        assertEquals("before", b1.next());

        redis.kill();
        await(() -> !pa.isConnected(), "node a sees Redis gone");
        a.publish("room", "during outage");
        assertEquals("during outage", a1.next(), "local subscribers still served");
        await(() -> pa.unrelayed() >= 1, "the publish that could not cross Redis is counted");

        redis.startProcess(); // same port
        await(() -> pa.isConnected() && pb.isConnected(), "both nodes reconnected");
        await(() -> redis.numSub("gust:room") == 2, "both nodes resubscribed");
        a.publish("room", "after");
        assertEquals("after", a1.next());
        assertEquals("after", b1.next(), "cross-node delivery works again");
    }

    @Test
    void aNodeOnManyLoopsSubscribesOnceAndGetsEveryMessageOnceOnEveryLoop() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pa = RedisBackplane.connect(redis.uri()), pb = RedisBackplane.connect(redis.uri());
        a = nodeOnLoops(pa, 3);
        b = node(pb);
        // Clients on node a until all three loops have one (the kernel spreads them).
        java.util.Map<String, java.util.List<Client>> onLoop = new java.util.TreeMap<>();
        for (int i = 0; i < 100 && onLoop.size() < 3; i++) {
            Client c = Client.connect(a);
            String hello = c.next();
            assertTrue(hello.startsWith("loop "), hello);
            onLoop.computeIfAbsent(hello.substring(5), k -> new java.util.ArrayList<>()).add(c);
        }
        assertEquals(3, onLoop.size(), "clients reached every loop of node a: " + onLoop.keySet());
        java.util.List<Client> onA = onLoop.values().stream().flatMap(java.util.List::stream).toList();
        Client b1 = Client.connect(b);
        await(() -> redis.numSub("gust:room") == 2, "each node subscribed once in Redis");

        for (int i = 0; i < 20; i++) b1.ws.sendText("from b " + i, true).join();
        for (Client c : onA) for (int i = 0; i < 20; i++) assertEquals("from b " + i, c.next(), "in order, once per client");

        Client publisher = onA.getFirst();
        for (int i = 0; i < 20; i++) publisher.ws.sendText("from a " + i, true).join();
        for (int i = 0; i < 20; i++) assertEquals("from a " + i, b1.next(), "relayed once to node b, in order");
        for (Client c : onA) {
            if (c == publisher) continue;
            for (int i = 0; i < 20; i++) assertEquals("from a " + i, c.next(), "other loops of node a, once, in order");
        }
        for (Client c : onA) c.assertNothingMore();
        b1.assertNothingMore();

        // The loops' subscribers leave one loop at a time: Redis keeps the subscription until the last one.
        var loops = new java.util.ArrayList<>(onLoop.values());
        for (int l = 0; l < loops.size(); l++) {
            for (Client c : loops.get(l)) c.ws.abort();
            int remaining = 0;
            for (int k = l + 1; k < loops.size(); k++) remaining += loops.get(k).size();
            int expected = remaining;
            await(() -> a.numSubscribers("room") == expected, expected + " subscribers left on node a");
            if (remaining > 0) {
                assertEquals(2, redis.numSub("gust:room"), "still subscribed while another loop has subscribers");
                b.publish("room", "still there " + l);
                for (int k = l + 1; k < loops.size(); k++) {
                    for (Client c : loops.get(k)) assertEquals("still there " + l, c.next());
                }
            }
        }
        await(() -> redis.numSub("gust:room") == 1, "node a unsubscribed once no loop has subscribers");
    }
}

package dev.gust.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.App;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import io.lettuce.core.RedisClient;
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

    /** Every socket on {@code /topic/NAME} subscribes to topic NAME; the app publishes. */
    private static App topicNode(RedisBackplane backplane) {
        return Gust.app()
                .ws("/topic/:name", WebSocketBehavior.builder().open(ws -> ws.subscribe(ws.param("name"))).build())
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
            return connect(app, "/room");
        }

        static Client connect(App app, String path) throws Exception {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + path), c).get(10, TimeUnit.SECONDS);
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
        await(() -> !pa.knowsRemoteInterest(), "node a relays everything until it has re-learnt the others' topics");
        a.publish("room", "during outage");
        assertEquals("during outage", a1.next(), "local subscribers still served");
        await(() -> pa.unrelayed() >= 1, "the publish that could not cross Redis is counted");

        redis.startProcess(); // same port
        await(() -> pa.isConnected() && pb.isConnected(), "both nodes reconnected");
        await(() -> redis.numSub("gust:room") == 2, "both nodes resubscribed");
        await(() -> pa.knowsRemoteInterest() && pa.othersSubscribe("room"), "node a re-learnt node b's topics");
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

    @Test
    void onlyTopicsWithSubscribersOnAnotherNodeCrossRedisAndANewRemoteSubscriberGetsTheNextPublish() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pa = RedisBackplane.connect(redis.uri()), pb = RedisBackplane.connect(redis.uri());
        a = topicNode(pa);
        b = topicNode(pb);
        try (RedisProcess.Observer wire = redis.observe()) {
            await(() -> pa.knowsRemoteInterest() && pb.knowsRemoteInterest(), "both nodes learnt the other's topics");

            // A topic with a subscriber on node a only: served locally, never PUBLISHed to Redis.
            Client local = Client.connect(a, "/topic/mine");
            await(() -> redis.numSub("gust:mine") == 1, "node a subscribed");
            for (int i = 0; i < 5; i++) a.publish("mine", "local " + i);
            for (int i = 0; i < 5; i++) assertEquals("local " + i, local.next());
            await(() -> pa.skipped() == 5, "the five publishes were skipped: " + pa.skipped());
            assertEquals(0, pa.relayed());
            assertNull(wire.channels().poll(300, TimeUnit.MILLISECONDS), "nothing crossed Redis");

            // New subscribers on node b, topic after topic: once b's SUBSCRIBE has reached Redis, the
            // very next publish on node a crosses Redis and reaches them.
            for (int i = 0; i < 30; i++) {
                String topic = "t" + i;
                a.publish(topic, "before anyone on b subscribed");
                Client remote = Client.connect(b, "/topic/" + topic);
                await(() -> redis.numSub("gust:" + topic) == 1, "node b subscribed to " + topic);
                assertTrue(pa.othersSubscribe(topic), "node a knew before b's SUBSCRIBE reached Redis");
                a.publish(topic, "right after " + i);
                assertEquals("right after " + i, remote.next(), "the publish right after b subscribed reached it");
                assertEquals("gust:" + topic, wire.channels().poll(10, TimeUnit.SECONDS));
                remote.assertNothingMore();
                remote.ws.abort();
            }
            assertNull(wire.channels().poll(300, TimeUnit.MILLISECONDS), "only the publishes with a remote subscriber crossed");
            await(() -> pa.relayed() == 30, "30 relayed: " + pa.relayed());
            await(() -> pa.skipped() == 35, "35 skipped: " + pa.skipped());
            assertEquals(30, pb.received());
            assertEquals(new dev.gust.websocket.Backplane.Counters(30, 0, 0, 35, 0), a.stats().backplane(),
                    "the app's stats carry the backplane's counters");

            // The last subscriber on b leaves: node a stops relaying the topic.
            await(() -> !pa.othersSubscribe("t29"), "node a learnt that nobody on b wants t29 any more");
            a.publish("t29", "after b left");
            await(() -> pa.skipped() == 36, "skipped again");
            assertNull(wire.channels().poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aNodeJoiningLaterLearnsTheTopicsOthersAlreadySubscribe() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pb = RedisBackplane.connect(redis.uri());
        b = topicNode(pb);
        Client early = Client.connect(b, "/topic/news");
        await(() -> redis.numSub("gust:news") == 1, "node b subscribed before node a exists");
        RedisBackplane pa = RedisBackplane.connect(redis.uri());
        a = topicNode(pa);
        a.publish("news", "first"); // relayed whether or not a has synced yet: it relays everything until it knows
        assertEquals("first", early.next());
        await(pa::knowsRemoteInterest, "node a learnt b's topics");
        assertTrue(pa.othersSubscribe("news"));
        assertFalse(pa.othersSubscribe("weather"));
        a.publish("news", "second");
        a.publish("weather", "nobody on b wants this");
        assertEquals("second", early.next());
        await(() -> pa.relayed() == 2 && pa.skipped() == 1, "relayed " + pa.relayed() + " skipped " + pa.skipped());
        b.close(); // says goodbye: a stops relaying b's topics
        b = null;
        await(() -> !pa.othersSubscribe("news"), "node a forgot the topics of the node that left");
    }

    @Test
    void aSlowRedisDropsPublishesPastTheByteLimitCountsAndLogsThemThenRecovers() throws Exception {
        redis = RedisProcess.start();
        long limit = 256 * 1024;
        RedisBackplane pa = RedisBackplane.connect(redis.uri(), RedisBackplane.Options.defaults().withMaxBackpressure(limit));
        RedisBackplane pb = RedisBackplane.connect(redis.uri());
        a = topicNode(pa);
        b = topicNode(pb);
        Client remote = Client.connect(b, "/topic/feed");
        await(() -> redis.numSub("gust:feed") == 1 && pa.othersSubscribe("feed"), "node b subscribed, node a knows");
        java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.gust.redis");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                log.add(r.getLevel() + " " + java.text.MessageFormat.format(r.getMessage(),
                        r.getParameters() == null ? new Object[0] : r.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(capture);
        try {
            String filler = "x".repeat(32 * 1024);
            redis.pause();
            int total = 40; // 40 x 32 KiB = 1.25 MiB against a 256 KiB limit
            for (int i = 0; i < total; i++) a.publish("feed", i + " " + filler);
            await(() -> a.stats().published() == total, "node a handled every publish");
            long dropped = pa.dropped();
            assertTrue(dropped >= total - 8 && dropped < total, "dropped past 256 KiB waiting: " + dropped);
            assertEquals(dropped, a.stats().dropped(), "the app's dropped counter includes the backplane's drops");
            assertEquals(dropped, a.stats().backplane().dropped());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("WARNING Redis is not keeping up")), log.toString());
            assertEquals(0, pa.relayed(), "nothing answered while Redis is frozen");

            redis.resume();
            await(() -> pa.relayed() + pa.dropped() == total, "every accepted publish relayed once Redis runs again");
            assertEquals(dropped, pa.dropped(), "no more drops");
            for (int i = 0; i < total - dropped; i++) {
                assertEquals(String.valueOf(i), remote.next().split(" ")[0], "the accepted ones arrive, in order");
            }
            a.publish("feed", "after");
            assertEquals("after", remote.next(), "publishes flow again");
            assertEquals(dropped, pa.dropped());
            await(() -> log.stream().anyMatch(l -> l.startsWith("INFO Redis caught up")), "recovery logged: " + log);
        } finally {
            jul.removeHandler(capture);
            redis.resume();
        }
    }

    @Test
    void theJfrEventCarriesTheBackplaneCounters() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pa = RedisBackplane.connect(redis.uri()), pb = RedisBackplane.connect(redis.uri());
        a = topicNode(pa);
        b = topicNode(pb);
        Client remote = Client.connect(b, "/topic/jfr");
        await(() -> redis.numSub("gust:jfr") == 1 && pa.othersSubscribe("jfr"), "node b subscribed, node a knows");
        a.publish("jfr", "one");
        a.publish("nobody", "two");
        assertEquals("one", remote.next());
        await(() -> pa.relayed() == 1 && pa.skipped() == 1, "counted");
        java.util.concurrent.LinkedBlockingQueue<jdk.jfr.consumer.RecordedEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        try (var rs = new jdk.jfr.consumer.RecordingStream()) {
            rs.enable("dev.gust.AppStats").withPeriod(java.time.Duration.ofMillis(100));
            rs.onEvent("dev.gust.AppStats", events::add);
            rs.startAsync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            jdk.jfr.consumer.RecordedEvent e;
            do {
                e = events.poll(1, TimeUnit.SECONDS);
                if (System.nanoTime() > deadline) fail("no dev.gust.AppStats event for node a");
            } while (e == null || e.getInt("port") != a.port());
            assertTrue(e.getBoolean("clustered"));
            assertEquals(1, e.getLong("relayed"));
            assertEquals(1, e.getLong("relaySkipped"));
            assertEquals(0, e.getLong("unrelayed"));
            assertEquals(0, e.getLong("relayDropped"));
            do {
                e = events.poll(1, TimeUnit.SECONDS);
                if (System.nanoTime() > deadline) fail("no dev.gust.AppStats event for node b");
            } while (e == null || e.getInt("port") != b.port());
            assertEquals(1, e.getLong("receivedFromNodes"));
            assertEquals(1, e.getLong("deliveries"));
        }
    }

    @Test
    void aNodeSubscribesInRedisOnlyOnceEveryListeningNodeAcknowledgedOrAfterTheTimeout() throws Exception {
        redis = RedisProcess.start();
        RedisBackplane pb = RedisBackplane.connect(redis.uri(),
                RedisBackplane.Options.defaults().withAnnounceTimeout(java.time.Duration.ofMillis(1500)));
        b = topicNode(pb);
        await(pb::knowsRemoteInterest, "node b alone knows it is alone");
        // A listener on the control channel that never acknowledges (a stuck node).
        RedisClient raw = RedisClient.create(redis.uri());
        var silent = raw.connectPubSub();
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        silent.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                heard.add(message);
            }
        });
        silent.sync().subscribe(RedisBackplane.INTEREST_CHANNEL);
        try {
            long start = System.nanoTime();
            Client c = Client.connect(b, "/topic/slowack");
            assertNotNull(heard.poll(10, TimeUnit.SECONDS), "node b announced the topic");
            Thread.sleep(700);
            assertEquals(0, redis.numSub("gust:slowack"), "not subscribed while a listening node has not acknowledged");
            await(() -> redis.numSub("gust:slowack") == 1, "subscribed after the announce timeout");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1400), "waited for the timeout");
            b.publish("slowack", "works");
            assertEquals("works", c.next());
        } finally {
            silent.close();
            raw.shutdown();
        }
    }
}

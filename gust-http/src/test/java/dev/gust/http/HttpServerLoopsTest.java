package dev.gust.http;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An HTTP server on several loops: connections spread over the loop threads, each served wholly by one. */
@Timeout(60)
class HttpServerLoopsTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static HttpServer threadNameServer(int loops) {
        return HttpServer.create(HttpServerOptions.defaults().withLoops(loops))
                .get("/who", (req, res) -> res.end(Thread.currentThread().getName()))
                .get("/echo/:x", (req, res) -> res.end(req.param("x") + "@" + Thread.currentThread().getName()))
                .listen("127.0.0.1", 0);
    }

    @Test
    void rawKeepAliveClientsAreServedByMoreThanOneLoopAndEachStaysOnItsLoop() throws Exception {
        server = threadNameServer(3);
        assertEquals(3, server.loops().size());
        assertSame(server.loops().getFirst(), server.loop());
        Set<String> loopThreads = new HashSet<>();
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) clients.add(new RawHttp(server.port()));
            for (int round = 0; round < 3; round++) {
                for (RawHttp c : clients) c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            for (RawHttp c : clients) {
                String first = c.read().body();
                assertEquals(first, c.read().body(), "a keep-alive connection stays on its loop");
                assertEquals(first, c.read().body());
                loopThreads.add(first);
            }
        } finally {
            for (RawHttp c : clients) c.close();
        }
        Set<String> names = new HashSet<>();
        for (Loop l : server.loops()) names.add(l.name());
        assertTrue(names.containsAll(loopThreads), "answered on the server's loop threads: " + loopThreads + " vs " + names);
        assertTrue(loopThreads.size() > 1, "40 connections all landed on one loop: " + loopThreads);
    }

    @Test
    void jdkHttpClientsAreServedByMoreThanOneLoop() throws Exception {
        server = threadNameServer(2);
        Set<String> loopThreads = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            // One client per connection: the JDK client pools, so a shared one would reuse a single connection.
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/who")).build();
                String a = client.send(request, BodyHandlers.ofString()).body();
                String b = client.send(request, BodyHandlers.ofString()).body();
                assertEquals(a, b, "the pooled keep-alive connection is served by one loop");
                loopThreads.add(a);
            }
        }
        assertEquals(2, loopThreads.size(), "24 connections over 2 loops: " + loopThreads);
    }

    @Test
    void pipelinedRequestsKeepTheirOrderAndConnectionCloseIsHonouredOnEveryLoop() throws Exception {
        server = threadNameServer(4);
        Map<String, Integer> perLoop = new HashMap<>();
        for (int i = 0; i < 24; i++) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /echo/a HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/b HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /echo/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String a = c.read().body(), b = c.read().body();
                RawHttp.Response last = c.read();
                String loop = a.substring(2);
                assertEquals("a@" + loop, a);
                assertEquals("b@" + loop, b);
                assertEquals("c@" + loop, last.body());
                assertTrue(last.hasHeader("connection: close"));
                assertTrue(c.closedByServer());
                perLoop.merge(loop, 1, Integer::sum);
            }
        }
        assertTrue(perLoop.size() > 1, "connections spread: " + perLoop);
    }

    @Test
    void gracefulShutdownFinishesInFlightRequestsOnEveryLoop() throws Exception {
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(0);
        server = HttpServer.create(HttpServerOptions.defaults().withLoops(2))
                .get("/slow", (req, res) -> {
                    String name = Thread.currentThread().getName();
                    inFlight.release();
                    res.loop().setTimeout(Duration.ofMillis(300), () -> res.end("done@" + name));
                })
                .get("/who", (req, res) -> res.end(Thread.currentThread().getName()))
                .listen("127.0.0.1", 0);
        int port = server.port();
        // Connections until both loops have one idle and one with a request in flight.
        Map<String, RawHttp> idle = new HashMap<>();
        List<RawHttp> spare = new ArrayList<>();
        for (int i = 0; i < 64 && idle.size() < 2; i++) {
            RawHttp c = new RawHttp(port);
            String loop = c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
            if (idle.putIfAbsent(loop, c) != null) spare.add(c);
        }
        assertEquals(2, idle.size(), "connections reached both loops");
        List<RawHttp> busy = new ArrayList<>(spare);
        for (RawHttp c : idle.values()) busy.add(c);
        for (RawHttp c : busy) c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(inFlight.tryAcquire(busy.size(), 10, TimeUnit.SECONDS), "every request reached its handler");
        Thread closer = Thread.ofPlatform().start(server::close);
        Set<String> finishedOn = new HashSet<>();
        for (RawHttp c : busy) {
            RawHttp.Response r = c.read();
            assertTrue(r.body().startsWith("done@"), r.body());
            assertTrue(r.hasHeader("connection: close"), "in-flight answered, then closed");
            assertTrue(c.closedByServer());
            finishedOn.add(r.body());
            c.close();
        }
        assertEquals(2, finishedOn.size(), "in-flight requests finished on both loops: " + finishedOn);
        closer.join(15_000);
        assertFalse(closer.isAlive());
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
        for (Loop l : server.loops()) assertTrue(l.isClosed(), "owned loops are closed");
    }

    @Test
    void aServerOnAGivenGroupLeavesTheLoopsRunningAndCountsConnectionsOverAllLoops() throws Exception {
        try (LoopGroup group = LoopGroup.create(2).start()) {
            server = HttpServer.create(group, HttpServerOptions.defaults().withLoops(7)) // the group decides
                    .get("/who", (req, res) -> res.end(Thread.currentThread().getName()))
                    .listen("127.0.0.1", 0);
            assertSame(group, server.group());
            assertEquals(group.loops(), server.loops());
            List<RawHttp> clients = new ArrayList<>();
            Set<String> loops = new HashSet<>();
            try {
                for (int i = 0; i < 16; i++) {
                    RawHttp c = new RawHttp(server.port());
                    clients.add(c);
                    loops.add(c.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
                }
                assertTrue(loops.size() > 1, "spread over the group: " + loops);
                assertTrue(waitFor(() -> server.connectionCount() == 16, 5000), "count " + server.connectionCount());
            } finally {
                for (RawHttp c : clients) c.close();
            }
            assertTrue(waitFor(() -> server.connectionCount() == 0, 5000));
            server.close();
            server = null;
            for (Loop l : group.loops()) {
                assertTrue(l.isRunning(), "the group's loops stay up");
                assertEquals("alive", l.submit(() -> "alive").get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void loopsBelowOneAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> HttpServerOptions.defaults().withLoops(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpServerOptions.defaults().withLoops(-3));
    }

    @Test
    void routesCannotChangeOnceListening() {
        server = threadNameServer(2);
        assertThrows(IllegalStateException.class, () -> server.get("/late", (req, res) -> res.end("x")));
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }
}

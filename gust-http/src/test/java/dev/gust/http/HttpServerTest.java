package dev.gust.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpServerTest {
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString());
    }

    @Test
    void routesWithParamsWildcardsAndQueryWithTheJdkClient() throws Exception {
        server = HttpServer.create()
                .get("/hello/:name", (req, res) -> res.header("Content-Type", "text/plain").end("Hello, " + req.param("name") + "!" + (req.query("x") == null ? "" : req.query("x"))))
                .get("/files/*", (req, res) -> res.end("rest=" + req.rest()))
                .get("/health", (req, res) -> res.end("ok"))
                .listen("127.0.0.1", 0);
        var r = get("/hello/J%C3%BCrgen?x=%21");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, Jürgen!!", r.body());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("rest=a/b.txt", get("/files/a/b.txt").body());
        assertEquals("ok", get("/health").body());
        assertTrue(get("/health").headers().firstValue("date").isPresent());
    }

    @Test
    void notFoundAndMethodNotAllowedWithAllow() throws Exception {
        server = HttpServer.create().get("/only-get", (req, res) -> res.end("x")).listen("127.0.0.1", 0);
        assertEquals(404, get("/nothing").statusCode());
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/only-get")).DELETE().build(), BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertTrue(r.headers().firstValue("allow").orElseThrow().contains("GET"));
    }

    @Test
    void keepAliveAndPipelinedResponsesStayInOrderEvenWhenOneIsAsync() throws Exception {
        server = HttpServer.create()
                .get("/slow", (req, res) -> res.loop().setTimeout(Duration.ofMillis(100), () -> res.end("slow")))
                .get("/fast/:n", (req, res) -> res.end("fast" + req.param("n")))
                .listen("127.0.0.1", 0);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /fast/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow", c.read().body());
            assertEquals("fast1", c.read().body());
            assertEquals("fast2", c.read().body());
            c.send("GET /fast/3 HTTP/1.1\r\nHost: x\r\n\r\n"); // same connection: keep-alive
            assertEquals("fast3", c.read().body());
        }
    }

    @Test
    void chunkedRequestBodyOnTheLoopAndChunkedResponse() throws Exception {
        server = HttpServer.create()
                .post("/count", (req, res) -> {
                    long[] n = new long[1];
                    req.onData((chunk, last) -> {
                        n[0] += chunk.remaining();
                        if (last) res.end("bytes=" + n[0]);
                    });
                })
                .get("/stream", (req, res) -> {
                    for (int i = 0; i < 5; i++) res.write("part" + i + ";");
                    res.end();
                })
                .listen("127.0.0.1", 0);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            c.send("6;ext=1\r\n world\r\n0\r\n\r\n");
            assertEquals("bytes=11", c.read().body());
        }
        var r = get("/stream");
        assertEquals("part0;part1;part2;part3;part4;", r.body());
    }

    @Test
    void blockingHandlerReadsALargeBodyAsAStream() throws Exception {
        server = HttpServer.create(HttpServerOptions.defaults().withLimits(HttpLimits.DEFAULT.withMaxBodySize(8 << 20)))
                .postBlocking("/upload", (req, res) -> {
                    assertFalse(Thread.currentThread().getName().startsWith("gust-loop"));
                    assertTrue(Thread.currentThread().isVirtual());
                    InputStream in = req.body();
                    long sum = 0, n = 0;
                    int b;
                    byte[] buf = new byte[8192];
                    while ((b = in.read(buf)) > 0) {
                        for (int i = 0; i < b; i++) sum += buf[i] & 0xFF;
                        n += b;
                    }
                    res.end(n + ":" + sum);
                })
                .listen("127.0.0.1", 0);
        byte[] body = new byte[5 << 20];
        long sum = 0;
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7);
            sum += body[i] & 0xFF;
        }
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/upload")).POST(BodyPublishers.ofByteArray(body)).build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(body.length + ":" + sum, r.body());
    }

    @Test
    void blockingHandlerStreamsALargeResponseWithBackpressure() throws Exception {
        int total = 20 << 20;
        server = HttpServer.create()
                .getBlocking("/big", (req, res) -> {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < total; sent += chunk.length) res.write(chunk);
                    res.end();
                })
                .listen("127.0.0.1", 0);
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/big")).build(), BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
                if (n < (1 << 20)) Thread.sleep(1); // a slow start: the server must wait, not buffer it all
            }
        }
        assertEquals(total, n);
    }

    @Test
    void readingTheBodySynchronouslyOnTheLoopFailsClearly() throws Exception {
        server = HttpServer.create()
                .post("/wrong", (req, res) -> {
                    try {
                        req.body();
                        res.end("no error?");
                    } catch (IllegalStateException e) {
                        res.status(500).end(e.getMessage());
                    }
                })
                .listen("127.0.0.1", 0);
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/wrong")).POST(BodyPublishers.ofString("x")).build(),
                BodyHandlers.ofString());
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("would block the loop thread"), r.body());
    }

    @Test
    void handlerThatThrowsGets500AndTheServerKeepsServing() throws Exception {
        server = HttpServer.create()
                .get("/boom", (req, res) -> { throw new IllegalStateException("handler bug (expected by test)"); })
                .get("/ok", (req, res) -> res.end("ok"))
                .listen("127.0.0.1", 0);
        assertEquals(500, get("/boom").statusCode());
        assertEquals("ok", get("/ok").body());
    }

    @Test
    void malformedRequestsGetTheirStatusAndTheServerStaysHealthy() throws Exception {
        server = HttpServer.create(HttpServerOptions.defaults().withLimits(HttpLimits.DEFAULT.withMaxBodySize(1000)))
                .post("/p", (req, res) -> res.end("posted"))
                .get("/ok", (req, res) -> res.end("ok"))
                .listen("127.0.0.1", 0);
        String[][] cases = {
            {"GARBAGE\r\n\r\n", "400"},
            {"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "400"},
            {"GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(9000) + "\r\n\r\n", "431"},
            {"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", "413"},
            {"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"},
            {"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "400"},
            {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
            {"GET / HTTP/1.1\r\n\r\n", "400"}, // no Host
        };
        for (String[] c : cases) {
            try (RawHttp raw = new RawHttp(server.port())) {
                raw.send(c[0]);
                RawHttp.Response r = raw.read();
                assertEquals(Integer.parseInt(c[1]), r.status(), "for " + c[0].substring(0, Math.min(40, c[0].length())));
                assertTrue(r.hasHeader("connection: close"));
                assertTrue(raw.closedByServer());
            }
            assertEquals("ok", get("/ok").body(), "healthy after " + c[1]);
        }
    }

    @Test
    void headerTimeoutAnswers408AndIdleTimeoutCloses() throws Exception {
        server = HttpServer.create(HttpServerOptions.defaults().withHeaderTimeout(Duration.ofMillis(300))
                        .withIdleTimeout(Duration.ofMillis(300)))
                .get("/ok", (req, res) -> res.end("ok"))
                .listen("127.0.0.1", 0);
        try (RawHttp slow = new RawHttp(server.port())) {
            slow.send("GET /ok HTTP/1.1\r\nHo"); // slowloris: never finishes the head
            RawHttp.Response r = slow.read();
            assertEquals(408, r.status());
            assertTrue(slow.closedByServer());
        }
        try (RawHttp idle = new RawHttp(server.port())) {
            idle.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", idle.read().body());
            assertTrue(idle.closedByServer(), "idle keep-alive connection closed");
        }
    }

    @Test
    void connectionCloseAndHttp10() throws Exception {
        server = HttpServer.create().get("/ok", (req, res) -> res.end("ok")).listen("127.0.0.1", 0);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response r = c.read();
            assertTrue(r.hasHeader("connection: close"));
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /ok HTTP/1.0\r\n\r\n");
            assertEquals("ok", c.read().body());
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response r = c.read();
            assertTrue(r.hasHeader("connection: keep-alive"));
            c.send("GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("ok", c.read().body());
        }
    }

    @Test
    void headRequestGetsHeadersWithoutBody() throws Exception {
        server = HttpServer.create().get("/x", (req, res) -> res.end("hello")).listen("127.0.0.1", 0);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.readHeadOnly();
            assertEquals(200, head.status());
            assertTrue(head.hasHeader("content-length: 5"));
            assertEquals("hello", c.read().body());
        }
    }

    @Test
    void gracefulShutdownFinishesInFlightRequestsAndClosesIdleConnections() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        server = HttpServer.create()
                .getBlocking("/work", (req, res) -> {
                    inHandler.countDown();
                    Thread.sleep(300);
                    res.end("finished");
                })
                .get("/ok", (req, res) -> res.end("ok"))
                .listen("127.0.0.1", 0);
        int port = server.port();
        RawHttp idle = new RawHttp(port);
        idle.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("ok", idle.read().body());
        RawHttp busy = new RawHttp(port);
        busy.send("GET /work HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        Thread closer = Thread.ofPlatform().start(server::close);
        RawHttp.Response r = busy.read();
        assertEquals("finished", r.body());
        assertTrue(r.hasHeader("connection: close"));
        assertTrue(idle.closedByServer());
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
        idle.close();
        busy.close();
        server = null;
    }

    @Test
    void staticFilesAreServedAndTraversalIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<h1>hi</h1>");
        Files.write(dir.resolve("data.bin"), new byte[300_000]);
        Files.writeString(dir.getParent().resolve("secret-" + dir.getFileName() + ".txt"), "secret");
        server = HttpServer.create().staticFiles("/static/*", dir).listen("127.0.0.1", 0);
        var index = get("/static/");
        assertEquals("<h1>hi</h1>", index.body());
        assertTrue(index.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        var bin = client.send(java.net.http.HttpRequest.newBuilder(uri("/static/data.bin")).build(), BodyHandlers.ofByteArray());
        assertEquals(200, bin.statusCode());
        assertEquals("300000", bin.headers().firstValue("content-length").orElse("none"));
        assertEquals(300_000, bin.body().length);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /static/../secret-" + dir.getFileName() + ".txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(404, c.read().status());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /static/%2e%2e/secret-" + dir.getFileName() + ".txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(404, c.read().status());
        }
        assertEquals(404, get("/static/missing.txt").statusCode());
    }

    @Test
    void expectContinueIsAnswered() throws Exception {
        server = HttpServer.create().post("/p", (req, res) -> {
            StringBuilder sb = new StringBuilder();
            req.onData((chunk, last) -> {
                sb.append(StandardCharsets.UTF_8.decode(chunk));
                if (last) res.end("got " + sb);
            });
        }).listen("127.0.0.1", 0);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response cont = c.readHeadOnly();
            assertEquals(100, cont.status());
            c.send("data");
            assertEquals("got data", c.read().body());
        }
    }
}

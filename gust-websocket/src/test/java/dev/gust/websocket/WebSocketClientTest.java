package dev.gust.websocket;

import dev.gust.loop.TestCertificates;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.loop.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebSocketClientTest {
    private App app;
    private WebSocketClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        if (app != null) app.close();
    }

    private static WebSocketBehavior<Void> echo(Compression c) {
        return WebSocketBehavior.<Void>builder().compression(c).message((ws, msg) -> {
            if (msg.isText() && msg.text().startsWith("close ")) {
                String[] p = msg.text().split(" ", 3);
                ws.close(Integer.parseInt(p[1]), p.length > 2 ? p[2] : "");
            } else {
                ws.send(msg);
            }
        }).build();
    }

    private static URI uri(String scheme, int port, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    @Test
    void callbackStyleEchoOnTheServersLoop() throws Exception {
        app = Gust.app().ws("/echo", echo(Compression.OFF)).listen("127.0.0.1", 0);
        client = WebSocketClient.on(app.loop());
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        CompletableFuture<int[]> closed = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        client.connect(uri("ws", app.port(), "/echo"), new ClientListener() {
            public void onOpen(ClientWebSocket ws) {
                assertEquals(SendResult.SUCCESS, ws.send("hello"));
                ws.sendBinary(new byte[] {1, 2, 3});
            }

            public void onMessage(ClientWebSocket ws, WebSocketMessage m) {
                got.add(m.isText() ? m.text() : "bin" + m.length());
                if (received.incrementAndGet() == 2) ws.close(1000, "bye");
            }

            public void onClose(ClientWebSocket ws, int code, String reason) {
                closed.complete(new int[] {code});
            }
        }).get(10, TimeUnit.SECONDS);
        assertEquals("hello", got.poll(10, TimeUnit.SECONDS));
        assertEquals("bin3", got.poll(10, TimeUnit.SECONDS));
        assertEquals(1000, closed.get(10, TimeUnit.SECONDS)[0]);
    }

    @Test
    void blockingStyleOnOwnLoopWithHeadersSubprotocolsAndCompression() throws Exception {
        CompletableFuture<String> header = new CompletableFuture<>();
        app = Gust.app().ws("/echo", WebSocketBehavior.<Void>builder().compression(Compression.DEDICATED)
                .subprotocols("v2", "v1")
                .upgrade((req, res, ctx) -> {
                    header.complete(req.header("x-test"));
                    res.upgrade(null, ctx);
                })
                .message((ws, msg) -> ws.send(msg)).build()).listen("127.0.0.1", 0);
        client = WebSocketClient.create();
        String big = "{\"k\":\"compress me\"}".repeat(5000);
        try (var ws = client.connectBlocking(uri("ws", app.port(), "/echo"),
                ClientOptions.defaults().header("X-Test", "yes").subprotocols("v1", "v2").compression(true))) {
            assertEquals("v2", ws.subprotocol());
            assertNotNull(ws.socket().compression(), "permessage-deflate negotiated");
            for (int i = 0; i < 3; i++) {
                ws.send(big);
                assertEquals(big, ws.receive(Duration.ofSeconds(10)).text());
                ws.send("small " + i);
                assertEquals("small " + i, ws.receive(Duration.ofSeconds(10)).text());
            }
        }
        assertEquals("yes", header.get(5, TimeUnit.SECONDS));
    }

    @Test
    void answersServerPingsAutomatically() throws Exception {
        java.util.concurrent.atomic.AtomicInteger pongs = new java.util.concurrent.atomic.AtomicInteger();
        app = Gust.app().ws("/echo", WebSocketBehavior.<Void>from(echo(Compression.OFF))
                .idleTimeout(Duration.ofMillis(400)).pong((ws, p) -> pongs.incrementAndGet()).build()).listen("127.0.0.1", 0);
        client = WebSocketClient.create();
        try (var ws = client.connectBlocking(uri("ws", app.port(), "/echo"), ClientOptions.defaults())) {
            Thread.sleep(1200); // silent for 3 idle periods: only the automatic pongs keep it open
            assertTrue(ws.isOpen());
            assertTrue(pongs.get() >= 2, "pongs " + pongs.get());
            ws.send("still here");
            assertEquals("still here", ws.receive(Duration.ofSeconds(5)).text());
        }
    }

    @Test
    void closeCodesBothWays() throws Exception {
        CompletableFuture<Integer> serverSaw = new CompletableFuture<>();
        app = Gust.app().ws("/echo", WebSocketBehavior.<Void>from(echo(Compression.OFF))
                .close((ws, code, reason) -> serverSaw.complete(code)).build()).listen("127.0.0.1", 0);
        client = WebSocketClient.create();
        var ws = client.connectBlocking(uri("ws", app.port(), "/echo"), ClientOptions.defaults());
        ws.close(4001, "client says bye");
        assertEquals(4001, ws.awaitClose(Duration.ofSeconds(10)));
        assertEquals(4001, serverSaw.get(10, TimeUnit.SECONDS));

        var ws2 = client.connectBlocking(uri("ws", app.port(), "/echo"), ClientOptions.defaults());
        ws2.send("close 4002 server says bye");
        assertNull(ws2.receive(Duration.ofSeconds(10)));
        assertEquals(4002, ws2.closeCode());
        assertEquals("server says bye", ws2.closeReason());
    }

    @Test
    void handshakeTimeoutAgainstAPortThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    silent.accept(); // accepted, never answered
                    Thread.sleep(30_000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            client = WebSocketClient.create();
            long t0 = System.nanoTime();
            var e = assertThrows(SocketTimeoutException.class, () -> client.connectBlocking(uri("ws", silent.getLocalPort(), "/"),
                    ClientOptions.defaults().handshakeTimeout(Duration.ofMillis(300))));
            assertTrue(e.getMessage().contains("handshake"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void connectTimeoutCoversTheTlsHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    silent.accept(); // takes the ClientHello, never answers it
                    Thread.sleep(30_000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            client = WebSocketClient.create();
            var options = ClientOptions.defaults().sslContext(TestCertificates.clientContext()).connectTimeout(Duration.ofMillis(300));
            long t0 = System.nanoTime(); // after making the certificates (keytool is slow)
            assertThrows(SocketTimeoutException.class, () -> client.connectBlocking(uri("wss", silent.getLocalPort(), "/"), options));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void connectRefusedIsReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        client = WebSocketClient.create();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        var f = client.connect(uri("ws", port, "/"), new ClientListener() {
            public void onError(Throwable t) {
                error.complete(t);
            }
        });
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, error.get(10, TimeUnit.SECONDS));
    }

    /** A fake server answering the handshake with {@code response(acceptKey)}. */
    private static String failingHandshake(java.util.function.Function<String, String> response, ClientOptions options) throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             WebSocketClient c = WebSocketClient.create()) {
            Thread.ofVirtual().start(() -> {
                try (var s = fake.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
                    String key = head.toString().lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                            .findFirst().orElseThrow().substring(18).strip();
                    OutputStream out = s.getOutputStream();
                    out.write(response.apply(dev.gust.websocket.handshake.Handshake.acceptKey(key)).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread.sleep(2000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            IOException e = assertThrows(IOException.class, () -> c.connectBlocking(uri("ws", fake.getLocalPort(), "/"), options));
            return e.getMessage();
        }
    }

    @Test
    void invalid101sFailTheConnect() throws Exception {
        String ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
        assertTrue(failingHandshake(a -> ok + "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n", ClientOptions.defaults()).contains("Accept"));
        assertTrue(failingHandshake(a -> ok + a + "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
                ClientOptions.defaults()).contains("not offered"));
        assertTrue(failingHandshake(a -> ok + a + "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n\r\n",
                ClientOptions.defaults().compression(true)).contains("client_max_window_bits"));
        assertTrue(failingHandshake(a -> ok + a + "\r\nSec-WebSocket-Protocol: nope\r\n\r\n",
                ClientOptions.defaults().subprotocols("yes")).contains("subprotocol"));
        assertTrue(failingHandshake(a -> "HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n", ClientOptions.defaults()).contains("302"));
    }

    @Test
    void wssAgainstAGustTlsServer() throws Exception {
        app = Gust.app();
        app.http().tls(TlsOptions.server(TestCertificates.localhost().serverContext()));
        app.ws("/echo", echo(Compression.SHARED)).listen("127.0.0.1", 0);
        client = WebSocketClient.create();
        try (var ws = client.connectBlocking(URI.create("wss://localhost:" + app.port() + "/echo"),
                ClientOptions.defaults().sslContext(TestCertificates.clientContext()).compression(true))) {
            String msg = "secure ".repeat(1000);
            ws.send(msg);
            assertEquals(msg, ws.receive(Duration.ofSeconds(10)).text());
        }
        // an untrusting client fails the connect
        assertThrows(IOException.class, () -> client.connectBlocking(URI.create("wss://localhost:" + app.port() + "/echo"),
                ClientOptions.defaults()));
    }

    @Test
    void echoAgainstNpmWsServerWithAndWithoutDeflate() throws Exception {
        client = WebSocketClient.create();
        for (String pmd : new String[] {"false", "true", "{\"serverNoContextTakeover\":true,\"clientNoContextTakeover\":true}",
                "{\"serverMaxWindowBits\":10}", "{\"threshold\":0}"}) {
            try (NodeWs server = NodeWs.start("ws-deflate-echo-server.mjs", pmd)) {
                int port = Integer.parseInt(server.await("PORT"));
                try (var ws = client.connectBlocking(uri("ws", port, "/"),
                        ClientOptions.defaults().compression(true).header("X-Test", "h").subprotocols("p1"))) {
                    assertEquals(!pmd.equals("false"), ws.socket().compression() != null, pmd);
                    for (int i = 0; i < 3; i++) {
                        String big = ("{\"seq\":" + i + ",\"text\":\"hello compressible world\"}").repeat(2000);
                        ws.send(big);
                        assertEquals(big, ws.receive(Duration.ofSeconds(10)).text(), pmd);
                        byte[] bin = new byte[100_000];
                        new java.util.Random(i).nextBytes(bin);
                        ws.sendBinary(bin);
                        assertArrayEquals(bin, ws.receive(Duration.ofSeconds(10)).bytes(), pmd);
                    }
                    ws.send("close 4003 node says bye");
                    assertNull(ws.receive(Duration.ofSeconds(10)));
                    assertEquals(4003, ws.closeCode(), pmd);
                }
                assertEquals("h PROTO p1", server.await("HDR"));
                var ws3 = client.connectBlocking(uri("ws", port, "/"), ClientOptions.defaults());
                ws3.close(4004, "gust says bye");
                assertEquals("gust says bye", server.await("CLIENT_CLOSED 4004"));
            }
        }
    }
}

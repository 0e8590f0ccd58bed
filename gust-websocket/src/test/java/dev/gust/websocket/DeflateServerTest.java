package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.deflate.MessageDeflater;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** permessage-deflate on the server: interop, limits, protocol errors, publish compress-once. */
@Timeout(60)
class DeflateServerTest {
    private static final String OFFER_HEAD = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    private App app;

    @AfterEach
    void tearDown() {
        if (app != null) app.close();
    }

    private App echo(Compression c, boolean dedicatedDecompressor, int maxPayload) {
        return Gust.app().ws("/echo", WebSocketBehavior.<Void>builder().compression(c).dedicatedDecompressor(dedicatedDecompressor)
                .maxPayloadLength(maxPayload).message((ws, msg) -> ws.send(msg)).build()).listen("127.0.0.1", 0);
    }

    /** A raw client that offered {@code extensions}; returns it with the 101 read. */
    private RawWs rawWithOffer(String extensions) throws Exception {
        RawWs ws = RawWs.request(app.port(), OFFER_HEAD + "Sec-WebSocket-Extensions: " + extensions + "\r\n\r\n");
        String head = ws.readHead();
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertTrue(head.contains("Sec-WebSocket-Extensions: permessage-deflate"), head);
        return ws;
    }

    private static byte[] compress(byte[] data) {
        ByteBuffer c = new MessageDeflater(true).compress(ByteBuffer.wrap(data));
        byte[] out = new byte[c.remaining()];
        c.get(out);
        return out;
    }

    @Test
    void npmWsClientInteropAcrossModesAndParameters() throws Exception {
        record Case(Compression mode, boolean dedicatedInflater, String clientOptions, String expectedExtensions) {}
        List<Case> cases = List.of(
                new Case(Compression.SHARED, false, "true", "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                new Case(Compression.DEDICATED, true, "true", "permessage-deflate"),
                new Case(Compression.DEDICATED, false, "true", "permessage-deflate; client_no_context_takeover"),
                new Case(Compression.DEDICATED, true, "{\"serverNoContextTakeover\":true,\"clientNoContextTakeover\":true}",
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                new Case(Compression.DEDICATED, true, "{\"clientMaxWindowBits\":9,\"threshold\":0}", "permessage-deflate"),
                new Case(Compression.DEDICATED, true, "{\"serverMaxWindowBits\":15}", "permessage-deflate; server_max_window_bits=15"),
                // small windows: honoured without context takeover (only messages <= 2^bits compressed; the server adds
                // server_no_context_takeover when the client did not ask for it)
                new Case(Compression.SHARED, false, "{\"serverMaxWindowBits\":10,\"threshold\":0}",
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10"),
                new Case(Compression.DEDICATED, true, "{\"serverMaxWindowBits\":9}",
                        "permessage-deflate; server_no_context_takeover; server_max_window_bits=9"), // kept by resetting
                new Case(Compression.OFF, false, "true", ""));
        for (Case c : cases) {
            app = echo(c.mode(), c.dedicatedInflater(), 16 << 20);
            try (NodeWs node = NodeWs.start("ws-echo-client.mjs", "ws://127.0.0.1:" + app.port() + "/echo", c.clientOptions())) {
                assertEquals(c.expectedExtensions(), node.await("EXT"), c.toString());
                assertEquals("9", node.await("OK"), c.toString());
                assertEquals(0, node.exitCode(), c.toString());
            }
            app.close();
            app = null;
        }
    }

    @Test
    void jdkClientWithoutDeflateStillWorks() throws Exception {
        app = echo(Compression.SHARED, false, 1 << 20);
        JdkWsClient c = JdkWsClient.connect(app.port(), "/echo");
        String big = "jdk ".repeat(1000);
        c.ws.sendText(big, true).join();
        assertEquals(big, c.nextText());
    }

    @Test
    void gustClientAgainstGustServerInEveryMode() throws Exception {
        for (Compression mode : Compression.values()) {
            for (boolean noTakeover : new boolean[] {false, true}) {
                app = echo(mode, !noTakeover, 1 << 20);
                try (var client = WebSocketClient.on(app.loop());
                     var ws = client.connectBlocking(URI.create("ws://127.0.0.1:" + app.port() + "/echo"),
                             ClientOptions.defaults().compression(true).compressionNoContextTakeover(noTakeover))) {
                    assertEquals(mode != Compression.OFF, ws.socket().compression() != null);
                    for (int i = 0; i < 4; i++) {
                        String m = ("message " + i + " with some repeated text ").repeat(20 * i + 1);
                        ws.send(m);
                        assertEquals(m, ws.receive(Duration.ofSeconds(10)).text(), mode + " " + noTakeover);
                    }
                }
                app.close();
                app = null;
            }
        }
    }

    @Test
    void zipBombIsRefusedWith1009Quickly() throws Exception {
        app = echo(Compression.SHARED, false, 64 << 10);
        try (RawWs ws = rawWithOffer("permessage-deflate; client_max_window_bits")) {
            Deflater d = new Deflater(9, true);
            d.setInput(new byte[16 << 20]); // 16 MiB of zeros: 256x the cap
            byte[] out = new byte[64 << 10];
            int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            d.end();
            assertTrue(n < 40_000, "compressed to " + n);
            long t0 = System.nanoTime();
            ws.sendFrame(0xC2, java.util.Arrays.copyOf(out, n - 4)); // FIN + RSV1 + binary
            RawWs.Frame close = ws.readUntilClose();
            assertEquals(1009, close.closeCode());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "took too long");
        }
    }

    @Test
    void rsv1OnControlOrContinuationFramesIsAProtocolError() throws Exception {
        app = echo(Compression.SHARED, false, 1 << 20);
        try (RawWs ws = rawWithOffer("permessage-deflate")) {
            ws.sendFrame(0xC9, new byte[0]); // ping with RSV1
            assertEquals(1002, ws.readUntilClose().closeCode());
        }
        try (RawWs ws = rawWithOffer("permessage-deflate")) {
            byte[] c = compress("hello hello hello".getBytes());
            ws.sendFrame(0x41, java.util.Arrays.copyOf(c, 3)); // text, RSV1, not final
            ws.sendFrame(0xC0, java.util.Arrays.copyOfRange(c, 3, c.length)); // continuation with RSV1
            assertEquals(1002, ws.readUntilClose().closeCode());
        }
    }

    @Test
    void fragmentedCompressedMessageAndInvalidInflatedUtf8() throws Exception {
        app = echo(Compression.SHARED, false, 1 << 20);
        String text = "fragmented and compressed ".repeat(40);
        try (RawWs ws = rawWithOffer("permessage-deflate")) {
            byte[] c = compress(text.getBytes());
            ws.sendFrame(0x41, java.util.Arrays.copyOf(c, 5));
            ws.sendFrame(0x80, java.util.Arrays.copyOfRange(c, 5, c.length));
            RawWs.Frame f = ws.readFrame();
            assertEquals(4, f.rsv(), "echo is compressed (RSV1)");
            assertEquals(text, new String(inflate(f.payload()), StandardCharsets.UTF_8));
            ws.sendFrame(0xC1, compress(new byte[] {(byte) 0xC3, 0x28}));
            assertEquals(1007, ws.readUntilClose().closeCode());
        }
        try (RawWs ws = rawWithOffer("permessage-deflate")) {
            ws.sendFrame(0xC2, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // not deflate
            assertEquals(1007, ws.readUntilClose().closeCode());
        }
    }

    @Test
    void smallMessagesGoUncompressed() throws Exception {
        app = echo(Compression.SHARED, false, 1 << 20);
        try (RawWs ws = rawWithOffer("permessage-deflate")) {
            ws.sendText("tiny");
            RawWs.Frame small = ws.readFrame();
            assertEquals(0, small.rsv());
            assertEquals("tiny", small.text());
            String big = "x".repeat(WebSocketBehavior.DEFAULT_COMPRESSION_THRESHOLD);
            ws.sendText(big);
            RawWs.Frame f = ws.readFrame();
            assertEquals(4, f.rsv());
            assertEquals(big, new String(inflate(f.payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void publishCompressesOncePerPublishWithoutContextTakeover() throws Exception {
        assertEquals(1, compressionsPerPublish(Compression.SHARED, 6));
        assertEquals(6, compressionsPerPublish(Compression.DEDICATED, 6), "context takeover: each subscriber compresses");
    }

    private long compressionsPerPublish(Compression mode, int subscribers) throws Exception {
        app = Gust.app().ws("/t", WebSocketBehavior.<Void>builder().compression(mode).dedicatedDecompressor(true)
                .open(ws -> ws.subscribe("news")).build()).listen("127.0.0.1", 0);
        try (WebSocketClient client = WebSocketClient.create()) {
            List<BlockingClientWebSocket> clients = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                clients.add(client.connectBlocking(URI.create("ws://127.0.0.1:" + app.port() + "/t"),
                        ClientOptions.defaults().compression(true)));
            }
            while (app.numSubscribers("news") < subscribers) Thread.sleep(5);
            String msg = "{\"headline\":\"compress me once\"}".repeat(50);
            long before = MessageDeflater.messagesCompressed();
            app.publish("news", msg);
            for (var c : clients) assertEquals(msg, c.receive(Duration.ofSeconds(10)).text());
            long count = MessageDeflater.messagesCompressed() - before;
            for (var c : clients) c.close();
            return count;
        } finally {
            app.close();
            app = null;
        }
    }

    private static byte[] inflate(byte[] compressed) throws Exception {
        var i = new dev.gust.websocket.deflate.MessageInflater(true);
        ByteBuffer b = i.inflate(ByteBuffer.wrap(compressed), 1 << 20);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}

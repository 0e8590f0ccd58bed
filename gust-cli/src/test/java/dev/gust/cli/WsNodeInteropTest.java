package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.websocket.App;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with a real third-party client: npm {@code ws} (tools/node/ws-interop.mjs) against one
 * in-process Gust app. Each test runs one scenario of the script and checks its JSON result.
 */
@Timeout(60)
class WsNodeInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final int SMALL_LIMIT = 1024;

    private static App app;
    private static final BlockingQueue<String> offeredExtensions = new LinkedBlockingQueue<>();
    private static final BlockingQueue<String> clientCloses = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Integer> smallCloses = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        ExternalTools.requireNode();
        ExternalTools.requireNodeModule("ws");
        app = Gust.app()
                .ws("/echo", WebSocketBehavior.builder()
                        .upgrade((req, res, ctx) -> {
                            offeredExtensions.add(String.valueOf(ctx.offeredExtensions()));
                            res.upgrade(null, ctx);
                        })
                        .message((ws, msg) -> ws.send(msg)).build())
                .ws("/room/:name", WebSocketBehavior.builder()
                        .open(ws -> ws.subscribe(ws.param("name")))
                        .message((ws, msg) -> ws.publish(ws.param("name"), msg)).build())
                .ws("/close", WebSocketBehavior.builder()
                        .message((ws, msg) -> ws.close(4001, "bye")).build())
                .ws("/client-close", WebSocketBehavior.builder()
                        .close((ws, code, reason) -> clientCloses.add(code + " " + reason)).build())
                .ws("/small", WebSocketBehavior.builder().maxPayloadLength(SMALL_LIMIT)
                        .message((ws, msg) -> ws.send(msg))
                        .close((ws, code, reason) -> smallCloses.add(code)).build())
                .listen("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    private static Map<String, Object> scenario(String name) throws Exception {
        return NodeScript.run("ws-interop.mjs", SCRIPT_TIMEOUT, app.port(), name).requireSuccess();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Map<String, Object> json, String key) {
        Object v = json.get(key);
        assertNotNull(v, key + " missing in " + json);
        return (Map<String, Object>) v;
    }

    private static int num(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).intValue();
    }

    private static void assertText(String expected, Map<String, Object> message) {
        assertEquals(expected, message.get("text"), "text of " + message);
        assertEquals(false, message.get("isBinary"), "text frames stay text: " + message);
    }

    private static void assertBinaryHex(String expectedHex, Map<String, Object> message) {
        assertEquals(expectedHex, message.get("hex"), "bytes of " + message);
        assertEquals(true, message.get("isBinary"), "binary frames stay binary: " + message);
    }

    /** The script's pattern: byte i = (i * 13) & 0xff; returns its SHA-256 in hex. */
    private static String patternSha256(int length) throws Exception {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 13);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void assertPattern(int length, Map<String, Object> digest) throws Exception {
        assertEquals(length, num(digest, "length"), "length of " + digest);
        assertEquals(patternSha256(length), digest.get("sha256"), "content of the " + length + "-byte message");
        assertEquals(true, digest.get("isBinary"));
    }

    private static void assertClose(int code, String reason, Map<String, Object> close) {
        assertEquals(code, num(close, "code"), "close code seen by ws: " + close);
        assertEquals(reason, close.get("reason"), "close reason seen by ws: " + close);
    }

    @Test
    void echoesTextBinaryTenMebibytesAndFragmentedMessages() throws Exception {
        Map<String, Object> r = scenario("echo");
        assertText("hello", obj(r, "text"));
        assertText("héllo wörld ✓", obj(r, "unicode"));
        assertBinaryHex("000102ff", obj(r, "binary"));
        assertPattern(10 << 20, obj(r, "big"));
        assertText("fragmented", obj(r, "fragmentedText"));
        assertBinaryHex("0102030405", obj(r, "fragmentedBinary"));
        assertClose(1000, "done", obj(r, "close"));
        assertEquals(List.of(), r.get("errors"));
    }

    @Test
    void declinesPermessageDeflateOfferedByWsAndMessagesStillFlow() throws Exception {
        offeredExtensions.clear();
        Map<String, Object> r = scenario("deflate");
        String offered = offeredExtensions.poll(5, TimeUnit.SECONDS);
        assertTrue(offered != null && offered.contains("permessage-deflate"), "ws offered permessage-deflate: " + offered);
        assertNull(r.get("responseExtensions"), "no Sec-WebSocket-Extensions in the 101: " + r);
        assertEquals("", r.get("negotiated"), "ws agreed no extension: " + r);
        assertText("hello", obj(r, "small"));
        assertPattern(64 << 10, obj(r, "large"));
        assertClose(1000, "done", obj(r, "close"));
        assertEquals(List.of(), r.get("errors"));
    }

    @Test
    void pubSubDeliversEachClientsMessageToTheOtherTwoOnly() throws Exception {
        Map<String, Object> r = scenario("pubsub");
        assertEquals(List.of(
                List.of("from-1", "from-2"),
                List.of("from-0", "from-2"),
                List.of("from-0", "from-1")), r.get("received"), "what each of the 3 clients received");
        assertEquals(List.of(0.0, 0.0, 0.0), r.get("extra"), "no client receives its own publish");
    }

    @Test
    void serverCloseCodeAndReasonReachTheWsClient() throws Exception {
        Map<String, Object> r = scenario("serverClose");
        assertClose(4001, "bye", obj(r, "close"));
        assertEquals(List.of(), r.get("errors"));
    }

    @Test
    void clientCloseCodeReachesTheServerCloseCallback() throws Exception {
        clientCloses.clear();
        Map<String, Object> r = scenario("clientClose");
        assertEquals("1000 done", clientCloses.poll(5, TimeUnit.SECONDS), "server close callback: code and reason");
        assertClose(1000, "done", obj(r, "close"));
    }

    @Test
    void oversizeMessageClosesWith1009() throws Exception {
        smallCloses.clear();
        Map<String, Object> r = scenario("oversize");
        assertText("fits", obj(r, "echoed"));
        assertEquals(1009, num(obj(r, "close"), "code"), "close code seen by ws: " + r);
        assertEquals(1009, smallCloses.poll(5, TimeUnit.SECONDS), "server close callback");
    }
}

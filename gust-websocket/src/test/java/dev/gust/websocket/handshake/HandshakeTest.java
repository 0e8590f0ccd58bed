package dev.gust.websocket.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HandshakeOutcome check(String method, String version, String upgrade, String connection, String wsVersion, String key) {
        return Handshake.check(method, version, upgrade, connection, wsVersion, key);
    }

    private static HandshakeOutcome valid() {
        return check("GET", "HTTP/1.1", "websocket", "Upgrade", "13", RFC_KEY);
    }

    @Test
    void browserStyleRequestsAreAccepted() {
        assertEquals(HandshakeOutcome.ACCEPT, valid());
        assertEquals(HandshakeOutcome.ACCEPT, check("GET", "HTTP/1.1", "WebSocket", "keep-alive, Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.ACCEPT, check("GET", "1.1", "h2c,  websocket ", "UPGRADE", " 13 ", " " + RFC_KEY + " "));
        assertEquals(HandshakeOutcome.ACCEPT, check("GET", "HTTP/2.0", "websocket", "upgrade,", "13", RFC_KEY));
    }

    @Test
    void eachRuleRefusesWithItsStatus() {
        assertEquals(HandshakeOutcome.METHOD_NOT_GET, check("POST", "HTTP/1.1", "websocket", "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.METHOD_NOT_GET, check("get", "HTTP/1.1", "websocket", "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.HTTP_VERSION_TOO_OLD, check("GET", "HTTP/1.0", "websocket", "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.HTTP_VERSION_TOO_OLD, check("GET", "HTTP/x", "websocket", "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.MISSING_UPGRADE_WEBSOCKET, check("GET", "HTTP/1.1", null, "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.MISSING_UPGRADE_WEBSOCKET, check("GET", "HTTP/1.1", "websockets", "Upgrade", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.MISSING_CONNECTION_UPGRADE, check("GET", "HTTP/1.1", "websocket", null, "13", RFC_KEY));
        assertEquals(HandshakeOutcome.MISSING_CONNECTION_UPGRADE, check("GET", "HTTP/1.1", "websocket", "keep-alive", "13", RFC_KEY));
        assertEquals(HandshakeOutcome.MISSING_CONNECTION_UPGRADE, check("GET", "HTTP/1.1", "websocket", "upgraded, close", "13", RFC_KEY));
        for (String v : new String[] {null, "", "8", "12", "14", "13, 8"}) {
            HandshakeOutcome o = check("GET", "HTTP/1.1", "websocket", "Upgrade", v, RFC_KEY);
            assertEquals(HandshakeOutcome.UNSUPPORTED_VERSION, o, "version " + v);
            assertEquals(426, o.status());
            assertEquals("Sec-WebSocket-Version: 13", o.responseHeader());
        }
        for (String k : new String[] {null, "", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ===",
                "dGhlIHNhbXBsZSBub25j*Q==", "AAAAAAAAAAAAAAAAAAAAAAA=", "dGhlIHNhbXBsZSBub25jZQ==AAAA"}) {
            HandshakeOutcome o = check("GET", "HTTP/1.1", "websocket", "Upgrade", "13", k);
            assertEquals(HandshakeOutcome.INVALID_KEY, o, "key " + k);
            assertEquals(400, o.status());
        }
    }

    @Test
    void everyRandom16ByteKeyIsValid() {
        var random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            assertTrue(Handshake.isValidKey(Base64.getEncoder().encodeToString(nonce)));
            byte[] other = new byte[1 + random.nextInt(30)];
            if (other.length != 16) {
                assertFalse(Handshake.isValidKey(Base64.getEncoder().encodeToString(other)), "length " + other.length);
            }
        }
    }

    @Test
    void acceptKeyMatchesTheRfcAndAReferenceComputation() throws Exception {
        assertEquals(RFC_ACCEPT, Handshake.acceptKey(RFC_KEY));
        var random = new Random(4);
        for (int i = 0; i < 200; i++) {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + Handshake.GUID).getBytes(StandardCharsets.US_ASCII));
            assertEquals(Base64.getEncoder().encodeToString(sha), Handshake.acceptKey(key));
        }
    }

    @Test
    void acceptKeyIsCorrectFromManyThreadsAtOnce() throws Exception {
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        if (!RFC_ACCEPT.equals(Handshake.acceptKey(RFC_KEY))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void writesThe101ResponseHead() {
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = Handshake.writeAccept(out, RFC_KEY, "chat", "permessage-deflate", "X-Node: a\r\n");
        String head = new String(out.array(), 0, n, StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RFC_ACCEPT + "\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                + "X-Node: a\r\n"
                + "\r\n", head);
        assertEquals(n, out.position());
        out.clear();
        n = Handshake.writeAccept(out, RFC_KEY, null, null, null);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + RFC_ACCEPT + "\r\n\r\n", new String(out.array(), 0, n, StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> Handshake.writeAccept(ByteBuffer.allocate(512), RFC_KEY, "a\r\nX: y", null, null));
    }

    @Test
    void writesRejections() {
        ByteBuffer out = ByteBuffer.allocate(256);
        int n = Handshake.writeRejection(out, HandshakeOutcome.UNSUPPORTED_VERSION);
        assertEquals("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                new String(out.array(), 0, n, StandardCharsets.US_ASCII));
        out.clear();
        n = Handshake.writeRejection(out, HandshakeOutcome.INVALID_KEY);
        assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                new String(out.array(), 0, n, StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> Handshake.writeRejection(ByteBuffer.allocate(256), HandshakeOutcome.ACCEPT));
    }

    // ------------------------------------------------------------------ subprotocols

    @Test
    void subprotocolOffersParseIntoNames() {
        assertEquals(List.of("chat", "superchat", "v2.json"), Subprotocols.parse(" chat,superchat , ,v2.json,"));
        assertEquals(List.of(), Subprotocols.parse(null));
        assertEquals(List.of(), Subprotocols.parse(""));
    }

    @Test
    void subprotocolSelectionHonoursTheChosenPreference() {
        String offered = "mqtt, graphql-ws, graphql-transport-ws";
        List<String> supported = List.of("graphql-transport-ws", "graphql-ws");
        assertEquals("graphql-transport-ws", Subprotocols.selectByServerPreference(offered, supported));
        assertEquals("graphql-ws", Subprotocols.selectByClientPreference(offered, supported));
        assertNull(Subprotocols.selectByServerPreference("MQTT", List.of("mqtt")), "names are case-sensitive");
        assertNull(Subprotocols.selectByClientPreference(null, supported));
        assertNull(Subprotocols.selectByServerPreference("graphql", supported), "no prefix matches");
        assertEquals("graphql-ws", Subprotocols.selectByClientPreference("graphql-ws", supported));
    }
}

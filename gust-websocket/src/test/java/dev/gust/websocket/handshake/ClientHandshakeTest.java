package dev.gust.websocket.handshake;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientHandshakeTest {
    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void requestCarriesKeyProtocolsExtensionsAndHeaders() {
        var hs = new ClientHandshake("example.com:8080", "/chat?room=1", List.of("a", "b"), Map.of("X-Token", "t"), "permessage-deflate");
        String req = StandardCharsets.ISO_8859_1.decode(hs.request()).toString();
        assertTrue(req.startsWith("GET /chat?room=1 HTTP/1.1\r\nHost: example.com:8080\r\n"), req);
        assertTrue(req.contains("Sec-WebSocket-Key: " + hs.key() + "\r\n"));
        assertTrue(Handshake.isValidKey(hs.key()));
        assertTrue(req.contains("Sec-WebSocket-Protocol: a, b\r\n"));
        assertTrue(req.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        assertTrue(req.contains("X-Token: t\r\n"));
        assertTrue(req.endsWith("\r\n\r\n"));
        assertNotEquals(hs.key(), new ClientHandshake("h", "/", List.of(), Map.of(), null).key(), "a fresh key per handshake");
    }

    @Test
    void refusesHandshakeHeadersAndLineInjection() {
        assertThrows(IllegalArgumentException.class, () -> new ClientHandshake("h", "/", List.of(), Map.of("Sec-WebSocket-Key", "x"), null));
        assertThrows(IllegalArgumentException.class, () -> new ClientHandshake("h", "/", List.of(), Map.of("X", "a\r\nEvil: 1"), null));
        assertThrows(IllegalArgumentException.class, () -> new ClientHandshake("h", "/", List.of(), Map.of("X Y", "a"), null));
    }

    @Test
    void headSplitAcrossReadsLeavesFramesAfterIt() {
        var hs = new ClientHandshake("h", "/", List.of("p"), Map.of(), null);
        String head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Handshake.acceptKey(hs.key()) + "\r\nSec-WebSocket-Protocol: p\r\n\r\n";
        assertNull(hs.offer(ascii(head.substring(0, 40))));
        ByteBuffer rest = ascii(head.substring(40) + "\u0081\u0002hi");
        ClientHandshake.Response r = hs.offer(rest);
        assertNotNull(r);
        assertEquals(4, rest.remaining(), "the frame after the head stays in the buffer");
        assertEquals(101, r.status());
        assertNull(hs.check(r));
    }

    @Test
    void checksStatusUpgradeConnectionAcceptAndProtocol() {
        var hs = new ClientHandshake("h", "/", List.of("p"), Map.of(), null);
        String accept = "Sec-WebSocket-Accept: " + Handshake.acceptKey(hs.key()) + "\r\n";
        String up = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        assertTrue(check(hs, "HTTP/1.1 200 OK\r\n\r\n").contains("200"));
        assertTrue(check(hs, "HTTP/1.1 101 X\r\nConnection: Upgrade\r\n" + accept + "\r\n").contains("Upgrade"));
        assertTrue(check(hs, "HTTP/1.1 101 X\r\nUpgrade: websocket\r\n" + accept + "\r\n").contains("Connection"));
        assertTrue(check(hs, "HTTP/1.1 101 X\r\n" + up + "Sec-WebSocket-Accept: x\r\n\r\n").contains("Accept"));
        assertTrue(check(hs, "HTTP/1.1 101 X\r\n" + up + accept + "Sec-WebSocket-Protocol: q\r\n\r\n").contains("subprotocol"));
        assertNull(check(hs, "HTTP/1.1 101 X\r\n" + up + accept + "\r\n"), "no subprotocol chosen is fine");
    }

    private static String check(ClientHandshake hs, String response) {
        return hs.check(new ClientHandshake("h", "/", List.of(), Map.of(), null).offer(ascii(response)));
    }

    @Test
    void oversizedHeadIsRefused() {
        var hs = new ClientHandshake("h", "/", List.of(), Map.of(), null);
        assertThrows(IllegalStateException.class, () -> hs.offer(ascii("HTTP/1.1 101 X\r\nX: " + "a".repeat(20_000))));
    }
}

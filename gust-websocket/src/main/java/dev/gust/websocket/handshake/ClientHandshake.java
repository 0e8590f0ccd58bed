package dev.gust.websocket.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client side of the RFC 6455 opening handshake: writes the upgrade request, gathers the
 * response head and checks the 101 (section 4.1: status, {@code Upgrade}, {@code Connection},
 * {@code Sec-WebSocket-Accept}, a subprotocol that was offered). Extension checks belong to the
 * extension ({@code ClientNegotiation}). Redirects are not followed.
 *
 * <pre>{@code
 * var hs = new ClientHandshake("example.com:443", "/chat", List.of("chat.v1"), Map.of(), "permessage-deflate");
 * socket.write(hs.request());
 * // on data:
 * ClientHandshake.Response r = hs.offer(bytes);       // null until the head is complete
 * String error = hs.check(r);                         // null when the 101 is valid
 * }</pre>
 */
public final class ClientHandshake {
    /** The largest response head accepted. */
    public static final int MAX_HEAD = 16 * 1024;
    private static final SecureRandom KEYS = new SecureRandom();

    private final String key;
    private final byte[] request;
    private final List<String> subprotocols;
    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);

    /** The parsed response head; header names are lower case, repeated fields joined with ", ". */
    public record Response(int status, String statusLine, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * @param hostHeader   the {@code Host} value ({@code host} or {@code host:port})
     * @param target       the request target (path and query)
     * @param subprotocols offered subprotocols in preference order (may be empty)
     * @param headers      further request headers (their names must not repeat the handshake's own)
     * @param extensions   the {@code Sec-WebSocket-Extensions} offer, or null
     */
    public ClientHandshake(String hostHeader, String target, List<String> subprotocols, Map<String, String> headers,
                           String extensions) {
        byte[] nonce = new byte[16];
        KEYS.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        this.subprotocols = List.copyOf(subprotocols);
        StringBuilder sb = new StringBuilder(256);
        sb.append("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n");
        if (!subprotocols.isEmpty()) sb.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        if (extensions != null) sb.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
        for (var h : headers.entrySet()) {
            checkHeader(h.getKey(), h.getValue());
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        this.request = sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void checkHeader(String name, String value) {
        for (String reserved : List.of("host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
                "sec-websocket-protocol", "sec-websocket-extensions")) {
            if (reserved.equalsIgnoreCase(name)) throw new IllegalArgumentException("header " + name + " is set by the handshake");
        }
        // No header may smuggle extra lines into the request.
        if (name.isEmpty() || name.indexOf(':') >= 0 || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
            throw new IllegalArgumentException("invalid header name " + name);
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) throw new IllegalArgumentException("invalid value of " + name);
    }

    /** The request bytes (a fresh buffer). */
    public ByteBuffer request() {
        return ByteBuffer.wrap(request);
    }

    /** The {@code Sec-WebSocket-Key} sent. */
    public String key() {
        return key;
    }

    /**
     * Takes response bytes from {@code data} up to the end of the head (the rest stays in
     * {@code data}: it is WebSocket traffic). Returns the head once complete, else null.
     *
     * @throws IllegalStateException when the head exceeds {@value #MAX_HEAD} bytes
     */
    public Response offer(ByteBuffer data) {
        while (data.hasRemaining()) {
            if (!head.hasRemaining()) throw new IllegalStateException("response head over " + MAX_HEAD + " bytes");
            byte b = data.get();
            head.put(b);
            int n = head.position();
            if (b == '\n' && n >= 4 && head.get(n - 2) == '\r' && head.get(n - 3) == '\n' && head.get(n - 4) == '\r') {
                return parse(new String(head.array(), 0, n - 4, StandardCharsets.ISO_8859_1));
            }
        }
        return null;
    }

    private static Response parse(String text) {
        String[] lines = text.split("\r\n");
        String statusLine = lines[0];
        int status = -1;
        String[] parts = statusLine.split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/1.")) {
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                status = -1;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Response(status, statusLine, headers);
    }

    /** Why the response does not complete the handshake, or null when it does. */
    public String check(Response r) {
        if (r.status() != 101) return "server answered '" + r.statusLine() + "' instead of 101 (redirects are not followed)";
        if (!HeaderTokens.containsIgnoreCase(r.header("upgrade"), "websocket")) return "101 without Upgrade: websocket";
        if (!HeaderTokens.containsIgnoreCase(r.header("connection"), "upgrade")) return "101 without Connection: Upgrade";
        String accept = r.header("sec-websocket-accept");
        if (accept == null || !accept.equals(Handshake.acceptKey(key))) return "wrong Sec-WebSocket-Accept";
        String protocol = r.header("sec-websocket-protocol");
        if (protocol != null && !subprotocols.contains(protocol)) return "server chose subprotocol '" + protocol + "', which was not offered";
        return null;
    }
}

package dev.gust.websocket.handshake;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server side of the RFC 6455 opening handshake, independent of any HTTP parser: checks the
 * request's header values, computes {@code Sec-WebSocket-Accept}, and writes the 101 (or error)
 * response head.
 *
 * <pre>{@code
 * HandshakeOutcome outcome = Handshake.check(req.method(), req.version(), req.header("Upgrade"),
 *         req.header("Connection"), req.header("Sec-WebSocket-Version"), req.header("Sec-WebSocket-Key"));
 * if (outcome != HandshakeOutcome.ACCEPT) {
 *     Handshake.writeRejection(out, outcome);
 * } else {
 *     String protocol = Subprotocols.selectByClientPreference(req.header("Sec-WebSocket-Protocol"), supported);
 *     Handshake.writeAccept(out, req.header("Sec-WebSocket-Key"), protocol, null, null);
 * }
 * }</pre>
 *
 * Header arguments are the raw field values, {@code null} when absent; a field sent several times
 * is passed joined with {@code ", "} (RFC 9110 section 5.3).
 */
public final class Handshake {
    /** The GUID of RFC 6455 section 1.3 appended to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Length of a valid {@code Sec-WebSocket-Key} (base64 of 16 bytes) and of the accept value. */
    public static final int KEY_LENGTH = 24;
    public static final int ACCEPT_LENGTH = 28;

    // One digest and scratch arrays per thread: handshakes run on loop threads, a handful per
    // process, so this costs nothing per connection and allocates nothing per handshake.
    private static final ThreadLocal<AcceptKeyHasher> HASHER = ThreadLocal.withInitial(AcceptKeyHasher::new);

    private Handshake() {}

    /**
     * Checks an upgrade request. The order of checks decides which error wins when several apply:
     * method, HTTP version, Upgrade, Connection, version, key.
     *
     * @param method      request method, case-sensitive ({@code "GET"})
     * @param httpVersion {@code "HTTP/1.1"} (or {@code "1.1"}); 1.1 or later is accepted
     */
    public static HandshakeOutcome check(String method, String httpVersion, String upgrade, String connection,
                                         String secWebSocketVersion, String secWebSocketKey) {
        if (!"GET".equals(method)) {
            return HandshakeOutcome.METHOD_NOT_GET;
        }
        if (!isHttp11OrLater(httpVersion)) {
            return HandshakeOutcome.HTTP_VERSION_TOO_OLD;
        }
        if (!HeaderTokens.containsIgnoreCase(upgrade, "websocket")) {
            return HandshakeOutcome.MISSING_UPGRADE_WEBSOCKET;
        }
        if (!HeaderTokens.containsIgnoreCase(connection, "upgrade")) {
            return HandshakeOutcome.MISSING_CONNECTION_UPGRADE;
        }
        if (secWebSocketVersion == null || !"13".equals(secWebSocketVersion.strip())) {
            return HandshakeOutcome.UNSUPPORTED_VERSION;
        }
        if (!isValidKey(secWebSocketKey)) {
            return HandshakeOutcome.INVALID_KEY;
        }
        return HandshakeOutcome.ACCEPT;
    }

    /**
     * Whether {@code key} (surrounding whitespace ignored) is base64 of exactly 16 bytes: 22
     * alphabet characters then {@code "=="}.
     */
    public static boolean isValidKey(String key) {
        if (key == null) {
            return false;
        }
        int start = HeaderTokens.skipSpaceForward(key, 0, key.length());
        int end = HeaderTokens.skipSpaceBackward(key, start, key.length());
        if (end - start != KEY_LENGTH || key.charAt(end - 1) != '=' || key.charAt(end - 2) != '=') {
            return false;
        }
        for (int i = start; i < end - 2; i++) {
            if (!isBase64Char(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code base64(SHA-1(key + GUID))}, the {@code Sec-WebSocket-Accept} value for a valid key. */
    public static String acceptKey(String key) {
        return new String(HASHER.get().accept(key), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the complete 101 response head at {@code dst}'s position and advances it.
     *
     * @param key          the request's {@code Sec-WebSocket-Key} (already checked)
     * @param subprotocol  the selected subprotocol, or {@code null} for none
     * @param extensions   the negotiated {@code Sec-WebSocket-Extensions} value, or {@code null}
     * @param extraHeaders further header lines, each ending in CRLF, or {@code null}
     * @return the number of bytes written
     * @throws java.nio.BufferOverflowException if {@code dst} is too small (256 bytes plus the
     *         variable parts always suffice)
     */
    public static int writeAccept(ByteBuffer dst, String key, String subprotocol, String extensions, CharSequence extraHeaders) {
        int start = dst.position();
        putAscii(dst, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
        dst.put(HASHER.get().accept(key));
        putAscii(dst, "\r\n");
        if (subprotocol != null) {
            putHeader(dst, "Sec-WebSocket-Protocol: ", subprotocol);
        }
        if (extensions != null) {
            putHeader(dst, "Sec-WebSocket-Extensions: ", extensions);
        }
        if (extraHeaders != null) {
            putAscii(dst, extraHeaders);
        }
        putAscii(dst, "\r\n");
        return dst.position() - start;
    }

    /**
     * Writes a complete error response for a refused handshake (status, the header the outcome
     * requires, an empty body, {@code Connection: close}); returns the bytes written.
     */
    public static int writeRejection(ByteBuffer dst, HandshakeOutcome outcome) {
        if (outcome == HandshakeOutcome.ACCEPT) {
            throw new IllegalArgumentException("ACCEPT is answered with writeAccept");
        }
        int start = dst.position();
        putAscii(dst, "HTTP/1.1 ");
        putAscii(dst, Integer.toString(outcome.status()));
        putAscii(dst, " ");
        putAscii(dst, outcome.reasonPhrase());
        putAscii(dst, "\r\n");
        if (outcome.responseHeader() != null) {
            putAscii(dst, outcome.responseHeader());
            putAscii(dst, "\r\n");
        }
        putAscii(dst, "Content-Length: 0\r\nConnection: close\r\n\r\n");
        return dst.position() - start;
    }

    private static boolean isHttp11OrLater(String version) {
        if (version == null) {
            return false;
        }
        String v = version.startsWith("HTTP/") ? version.substring(5) : version;
        int dot = v.indexOf('.');
        try {
            int major = Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
            int minor = dot < 0 ? 0 : Integer.parseInt(v.substring(dot + 1));
            return major > 1 || (major == 1 && minor >= 1);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static void putHeader(ByteBuffer dst, String name, String value) {
        // A value from the application must not smuggle extra header lines into the response.
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c > 0x7E) {
                throw new IllegalArgumentException("header value must be printable ASCII: " + name);
            }
        }
        putAscii(dst, name);
        putAscii(dst, value);
        putAscii(dst, "\r\n");
    }

    private static void putAscii(ByteBuffer dst, CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            dst.put((byte) s.charAt(i));
        }
    }

    /** SHA-1 of key + GUID, then base64, into a reused array. */
    private static final class AcceptKeyHasher {
        private final MessageDigest sha1;
        private final byte[] input = new byte[KEY_LENGTH + GUID.length()];
        private final byte[] digest = new byte[20];
        private final byte[] out = new byte[ACCEPT_LENGTH];

        AcceptKeyHasher() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-1", e);
            }
            for (int i = 0; i < GUID.length(); i++) {
                input[KEY_LENGTH + i] = (byte) GUID.charAt(i);
            }
        }

        /** The accept value as ASCII bytes, valid until the next call on this thread. */
        byte[] accept(String key) {
            int start = HeaderTokens.skipSpaceForward(key, 0, key.length());
            int end = HeaderTokens.skipSpaceBackward(key, start, key.length());
            if (end - start != KEY_LENGTH) {
                throw new IllegalArgumentException("Sec-WebSocket-Key must be 24 characters");
            }
            for (int i = 0; i < KEY_LENGTH; i++) {
                input[i] = (byte) key.charAt(start + i);
            }
            sha1.update(input);
            try {
                sha1.digest(digest, 0, digest.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            Base64.getEncoder().encode(digest, out);
            return out;
        }
    }
}

package dev.gust.http;

import java.nio.ByteBuffer;

/**
 * The request methods of RFC 9110 (plus PATCH), identified without allocating.
 *
 * <p>Extension methods parse as {@link #OTHER}; their name stays available from the request head.
 * <pre>{@code
 * HttpMethod m = HttpMethod.of("GET");   // GET
 * }</pre>
 */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    private static final HttpMethod[] VALUES = values();
    private final byte[] token = name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Identifies the method token stored at {@code buf[offset, offset+length)}; methods are case-sensitive. */
    public static HttpMethod of(ByteBuffer buf, int offset, int length) {
        // Lengths and first letters make most lookups a single comparison.
        for (int m = 0; m < VALUES.length - 1; m++) {
            byte[] t = VALUES[m].token;
            if (t.length == length && t[0] == buf.get(offset) && matchesRest(t, buf, offset)) {
                return VALUES[m];
            }
        }
        return OTHER;
    }

    /** Identifies a method name (case-sensitive); unknown names give {@link #OTHER}. */
    public static HttpMethod of(String name) {
        for (int m = 0; m < VALUES.length - 1; m++) {
            if (VALUES[m].name().equals(name)) return VALUES[m];
        }
        return OTHER;
    }

    private static boolean matchesRest(byte[] token, ByteBuffer buf, int offset) {
        for (int i = 1; i < token.length; i++) {
            if (token[i] != buf.get(offset + i)) return false;
        }
        return true;
    }
}

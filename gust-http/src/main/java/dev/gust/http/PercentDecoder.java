package dev.gust.http;

import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding (RFC 3986 §2.1) of URI components stored in a {@link ByteBuffer}, into a
 * reusable scratch array, so the only allocation is the resulting {@link String}.
 *
 * <p>Malformed escapes ({@code %zz}, a trailing {@code %}) are kept literally rather than rejected:
 * a lenient reading of a component never changes how the request is framed. Decoded bytes are read
 * as UTF-8 (invalid sequences become U+FFFD).
 *
 * <pre>{@code
 * PercentDecoder decoder = new PercentDecoder();
 * String s = decoder.decode(buf, off, len, false);   // "a%20b" -> "a b"
 * }</pre>
 *
 * <p>Not thread-safe: keep one per loop or per connection.
 */
public final class PercentDecoder {
    private byte[] scratch = new byte[64];

    /**
     * Decodes {@code src[offset, offset+length)}.
     *
     * @param plusAsSpace whether {@code +} means a space (query strings in form encoding)
     */
    public String decode(ByteBuffer src, int offset, int length, boolean plusAsSpace) {
        int n = decodeInto(src, offset, length, plusAsSpace);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code src[offset, offset+length)} decodes to the UTF-8 bytes of {@code expected},
     * compared without allocating for ASCII names.
     */
    public boolean decodesTo(ByteBuffer src, int offset, int length, boolean plusAsSpace, String expected) {
        int n = decodeInto(src, offset, length, plusAsSpace);
        int len = expected.length();
        boolean ascii = true;
        for (int i = 0; i < len && ascii; i++) ascii = expected.charAt(i) < 0x80;
        if (!ascii) {
            byte[] utf8 = expected.getBytes(StandardCharsets.UTF_8);   // rare: non-ASCII names
            return java.util.Arrays.equals(scratch, 0, n, utf8, 0, utf8.length);
        }
        if (n != len) return false;
        for (int i = 0; i < n; i++) {
            if (scratch[i] != (byte) expected.charAt(i)) return false;
        }
        return true;
    }

    /** Decodes into the internal scratch array and returns the decoded length. */
    private int decodeInto(ByteBuffer src, int offset, int length, boolean plusAsSpace) {
        if (scratch.length < length) scratch = new byte[Math.max(length, scratch.length * 2)];
        byte[] out = scratch;
        int n = 0;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = src.get(i);
            if (b == '%' && i + 2 < end) {
                int hi = Ascii.hexValue(src.get(i + 1));
                int lo = Ascii.hexValue(src.get(i + 2));
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) (hi << 4 | lo);
                    i += 2;
                    continue;
                }
            } else if (b == '+' && plusAsSpace) {
                b = ' ';
            }
            out[n++] = b;
        }
        return n;
    }
}

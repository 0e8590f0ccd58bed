package dev.gust.http.response;

import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;

/**
 * Writes header names, values and numbers as bytes without allocating, refusing anything that
 * could split the response (CR, LF, other CTLs) rather than escaping it.
 */
final class HeaderEncoding {
    private HeaderEncoding() {}

    static void putName(ByteBuffer out, String name) {
        int n = name.length();
        if (n == 0) throw new IllegalArgumentException("empty header name");
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !Ascii.isTchar((byte) c)) {
                throw new IllegalArgumentException("invalid character in header name: " + name);
            }
            out.put((byte) c);
        }
    }

    /** Values are written as ISO-8859-1; characters above U+00FF and CTLs except HTAB are refused. */
    static void putValue(ByteBuffer out, CharSequence value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c > 0xFF || !Ascii.isFieldChar((byte) c)) {
                throw new IllegalArgumentException("invalid character U+" + Integer.toHexString(c) + " in header value");
            }
            out.put((byte) c);
        }
    }

    static void putDecimal(ByteBuffer out, long value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        if (value < 10) {
            out.put((byte) ('0' + value));
            return;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) digits++;
        if (out.remaining() < digits) throw new java.nio.BufferOverflowException();
        int end = out.position() + digits;
        for (int p = end - 1; p >= out.position(); p--) {
            out.put(p, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(end);
    }

    static void putHex(ByteBuffer out, long value) {
        int digits = hexDigits(value);
        if (out.remaining() < digits) throw new java.nio.BufferOverflowException();
        int start = out.position();
        for (int p = start + digits - 1; p >= start; p--) {
            out.put(p, HEX[(int) (value & 0xF)]);
            value >>>= 4;
        }
        out.position(start + digits);
    }

    static int hexDigits(long value) {
        return value == 0 ? 1 : (67 - Long.numberOfLeadingZeros(value)) / 4;
    }

    static void putCrlf(ByteBuffer out) {
        out.put((byte) '\r').put((byte) '\n');
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
}

package dev.gust.http.internal;

/**
 * Byte classification tables for HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112).
 *
 * <p>Internal to Gust: public only so that the {@code dev.gust.http} subpackages can share it.
 * Lookups index a 256-entry table so the hot parsing loops stay branch-light.
 */
public final class Ascii {
    private Ascii() {}

    private static final byte TCHAR = 1;       // token character
    private static final byte FIELD = 2;       // field-vchar / SP / HTAB / obs-text
    private static final byte TARGET = 4;      // request-target byte (visible ASCII or obs-text)
    private static final byte[] CLASS = new byte[256];
    private static final byte[] HEX = new byte[256];

    static {
        String tcharSymbols = "!#$%&'*+-.^_`|~";
        for (int c = 0; c < 256; c++) {
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean tchar = alnum || (c < 128 && tcharSymbols.indexOf(c) >= 0);
            boolean visible = c >= 0x21 && c <= 0x7E;
            boolean obsText = c >= 0x80;
            byte cls = 0;
            if (tchar) cls |= TCHAR;
            if (visible || obsText || c == ' ' || c == '\t') cls |= FIELD;
            if (visible || obsText) cls |= TARGET;
            CLASS[c] = cls;
            HEX[c] = (byte) (c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
        }
    }

    /** {@code tchar} of RFC 9110: the characters of methods, header names and list tokens. */
    public static boolean isTchar(byte b) {
        return (CLASS[b & 0xFF] & TCHAR) != 0;
    }

    /** A byte allowed inside a field value: visible ASCII, obs-text, SP or HTAB (no CTLs, no DEL). */
    public static boolean isFieldChar(byte b) {
        return (CLASS[b & 0xFF] & FIELD) != 0;
    }

    /** A byte allowed in a request-target: visible ASCII or obs-text (no whitespace, CTLs or DEL). */
    public static boolean isTargetChar(byte b) {
        return (CLASS[b & 0xFF] & TARGET) != 0;
    }

    /** Optional whitespace (OWS): SP or HTAB. */
    public static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The value of a hexadecimal digit, or -1. */
    public static int hexValue(byte b) {
        return HEX[b & 0xFF];
    }

    /**
     * Index of the first byte in {@code buf[from, to)} that is not a field-value character, or
     * {@code to}. Checks eight bytes per step (SWAR), since values make up most of a head.
     */
    public static int skipFieldChars(java.nio.ByteBuffer buf, int from, int to) {
        int i = from;
        while (to - i >= 8 && !hasByteBelowOrDel(buf.getLong(i), 0x20)) i += 8;
        while (i < to && isFieldChar(buf.get(i))) i++;
        return i;
    }

    /** Like {@link #skipFieldChars} for request-target bytes (which also end at a space). */
    public static int skipTargetChars(java.nio.ByteBuffer buf, int from, int to) {
        int i = from;
        while (to - i >= 8 && !hasByteBelowOrDel(buf.getLong(i), 0x21)) i += 8;
        while (i < to && isTargetChar(buf.get(i))) i++;
        return i;
    }

    /** Whether any byte of {@code x} is below {@code n} (n at most 0x80) or is DEL (0x7F). */
    private static boolean hasByteBelowOrDel(long x, int n) {
        long below = (x - 0x0101010101010101L * n) & ~x & 0x8080808080808080L;
        long y = x ^ 0x7F7F7F7F7F7F7F7FL;
        long del = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
        return (below | del) != 0;
    }

    /** ASCII lower-casing; other bytes are returned unchanged. */
    public static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}

package dev.gust.http.parse;

import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;

/**
 * Walks the comma-separated elements of a list-valued field (RFC 9110 §5.6.1) in place:
 * {@code start()}/{@code end()} bound the current element with surrounding whitespace trimmed;
 * empty elements are skipped, as the RFC requires recipients to accept them.
 */
final class ListElements {
    private ByteBuffer buf;
    private int cursor;
    private int limit;
    private int start;
    private int end;

    ListElements reset(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.cursor = offset;
        this.limit = offset + length;
        return this;
    }

    /** Advances to the next non-empty element; false when the list is exhausted. */
    boolean next() {
        while (cursor <= limit) {
            int s = cursor;
            int e = s;
            while (e < limit && buf.get(e) != ',') e++;
            cursor = e + 1;
            while (s < e && Ascii.isWhitespace(buf.get(s))) s++;
            while (e > s && Ascii.isWhitespace(buf.get(e - 1))) e--;
            if (s < e) {
                start = s;
                end = e;
                return true;
            }
        }
        return false;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Whether the current element equals {@code lowerToken} ignoring ASCII case. */
    boolean is(String lowerToken) {
        return equalsIgnoreCase(buf, start, end - start, lowerToken);
    }

    /** Whether the current element, up to any {@code ;parameters}, equals {@code lowerToken}. */
    boolean nameIs(String lowerToken) {
        int e = start;
        while (e < end && buf.get(e) != ';' && !Ascii.isWhitespace(buf.get(e))) e++;
        return equalsIgnoreCase(buf, start, e - start, lowerToken);
    }

    static boolean equalsIgnoreCase(ByteBuffer buf, int offset, int length, String token) {
        if (length != token.length()) return false;
        for (int i = 0; i < length; i++) {
            if (Ascii.lower(buf.get(offset + i)) != Ascii.lower(token.charAt(i))) return false;
        }
        return true;
    }
}

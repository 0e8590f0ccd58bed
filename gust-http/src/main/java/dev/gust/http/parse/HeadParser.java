package dev.gust.http.parse;

import dev.gust.http.HttpMethod;
import dev.gust.http.HttpStatus;
import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;

/**
 * Parses the syntax of a request head (RFC 9112 §3, §5) in one pass over the bytes, recording
 * offsets in an {@link HttpRequestHead}. It checks every byte against the grammar as it goes, so
 * a malformed head is rejected as soon as the offending byte is seen, complete or not.
 *
 * <p>Strict on purpose: lines must end in CRLF (bare CR and bare LF are rejected), there is exactly
 * one SP between request-line parts, no whitespace before a header colon, and no obs-fold.
 */
final class HeadParser {
    /** Returned when the bytes end before the head does. */
    static final int INCOMPLETE = -1;

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

    private final int maxHeaderCount;
    private String failure;

    HeadParser(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    /** Why the last parse failed (a constant, for logs). */
    String failure() {
        return failure;
    }

    /**
     * Parses {@code buf[start, end)} into {@code head}.
     *
     * @return the index just past the head's empty line, {@link #INCOMPLETE}, or {@code -status}
     */
    int parse(ByteBuffer buf, int start, int end, HttpRequestHead head) {
        head.reset(buf, start);
        int i = start;

        while (i < end && Ascii.isTchar(buf.get(i))) i++;
        if (i == end) return INCOMPLETE;
        if (buf.get(i) != ' ' || i == start) return fail(HttpStatus.BAD_REQUEST, "malformed method");
        head.methodOffset = start;
        head.methodLength = i - start;
        head.method = HttpMethod.of(buf, start, i - start);

        int targetStart = ++i;
        i = Ascii.skipTargetChars(buf, i, end);
        if (i == end) return INCOMPLETE;
        if (buf.get(i) != ' ' || i == targetStart) return fail(HttpStatus.BAD_REQUEST, "malformed request-target");
        int status = splitTarget(buf, targetStart, i - targetStart, head);
        if (status != 0) return -status;
        i++;

        for (byte expected : HTTP_SLASH) {
            if (i == end) return INCOMPLETE;
            if (buf.get(i++) != expected) return fail(HttpStatus.BAD_REQUEST, "malformed HTTP-version");
        }
        if (end - i < 3) return partialVersion(buf, i, end);
        int major = buf.get(i) - '0';
        int minor = buf.get(i + 2) - '0';
        if (major < 0 || major > 9 || buf.get(i + 1) != '.' || minor < 0 || minor > 9) {
            return fail(HttpStatus.BAD_REQUEST, "malformed HTTP-version");
        }
        i = lineEnd(buf, i + 3, end);
        if (i < 0) return i;
        if (major != 1) return fail(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported HTTP major version");
        head.versionMinor = minor == 0 ? 0 : 1;   // RFC 9110 §2.5: a higher 1.x minor is handled as 1.1

        return parseFields(buf, i, end, head);
    }

    private int parseFields(ByteBuffer buf, int i, int end, HttpRequestHead head) {
        while (true) {
            if (i == end) return INCOMPLETE;
            byte first = buf.get(i);
            if (first == '\r') {
                int headEnd = lineEnd(buf, i, end);
                if (headEnd >= 0) head.length = headEnd - head.start;
                return headEnd;
            }
            int nameStart = i;
            while (i < end && Ascii.isTchar(buf.get(i))) i++;
            if (i == end) return INCOMPLETE;
            byte after = buf.get(i);
            if (i == nameStart) {
                return Ascii.isWhitespace(first) ? fail(HttpStatus.BAD_REQUEST, "obs-fold or leading whitespace in header")
                        : first == '\n' ? fail(HttpStatus.BAD_REQUEST, "bare LF")
                        : fail(HttpStatus.BAD_REQUEST, "invalid header name");
            }
            if (after != ':') {
                return Ascii.isWhitespace(after) ? fail(HttpStatus.BAD_REQUEST, "whitespace before colon")
                        : fail(HttpStatus.BAD_REQUEST, "invalid header name");
            }
            int nameLength = i - nameStart;
            i++;
            while (i < end && Ascii.isWhitespace(buf.get(i))) i++;
            int valueStart = i;
            i = Ascii.skipFieldChars(buf, i, end);
            if (i == end) return INCOMPLETE;
            int valueEnd = i;
            while (valueEnd > valueStart && Ascii.isWhitespace(buf.get(valueEnd - 1))) valueEnd--;
            i = lineEnd(buf, i, end);
            if (i < 0) return i;
            if (head.headerCount == maxHeaderCount) {
                return fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
            }
            head.addHeader(nameStart, nameLength, valueStart, valueEnd - valueStart,
                    KnownHeader.classify(buf, nameStart, nameLength));
        }
    }

    /** Expects CRLF at {@code i}; returns the index after it, INCOMPLETE, or -400. */
    private int lineEnd(ByteBuffer buf, int i, int end) {
        if (i == end) return INCOMPLETE;
        byte b = buf.get(i);
        if (b != '\r') {
            return b == '\n' ? fail(HttpStatus.BAD_REQUEST, "bare LF")
                    : fail(HttpStatus.BAD_REQUEST, "invalid character");
        }
        if (i + 1 == end) return INCOMPLETE;
        return buf.get(i + 1) == '\n' ? i + 2 : fail(HttpStatus.BAD_REQUEST, "bare CR");
    }

    /** Validates the few version bytes that have arrived so a bad version fails early. */
    private int partialVersion(ByteBuffer buf, int i, int end) {
        for (int k = 0; i + k < end; k++) {
            byte b = buf.get(i + k);
            boolean ok = k == 1 ? b == '.' : b >= '0' && b <= '9';
            if (!ok) return fail(HttpStatus.BAD_REQUEST, "malformed HTTP-version");
        }
        return INCOMPLETE;
    }

    /**
     * Classifies the request-target (RFC 9112 §3.2) and records path and query offsets.
     *
     * @return 0, or the status to reject it with
     */
    private int splitTarget(ByteBuffer buf, int offset, int length, HttpRequestHead head) {
        head.targetOffset = offset;
        head.targetLength = length;
        int end = offset + length;
        byte first = buf.get(offset);
        if (head.method == HttpMethod.CONNECT) {              // authority-form: host:port
            if (first == '/') return failStatus(HttpStatus.BAD_REQUEST, "CONNECT needs authority-form");
            head.pathOffset = offset;
            head.pathLength = length;
            return 0;
        }
        if (first == '*') {                                   // asterisk-form: OPTIONS * only
            if (length != 1 || head.method != HttpMethod.OPTIONS) {
                return failStatus(HttpStatus.BAD_REQUEST, "asterisk-form outside OPTIONS");
            }
            head.pathOffset = offset;
            head.pathLength = 1;
            return 0;
        }
        int pathStart = offset;
        if (first != '/') {                                   // absolute-form: scheme "://" authority path
            int authority = schemeEnd(buf, offset, end);
            if (authority < 0) return failStatus(HttpStatus.BAD_REQUEST, "malformed request-target");
            pathStart = authority;
            while (pathStart < end && buf.get(pathStart) != '/' && buf.get(pathStart) != '?') pathStart++;
        }
        int q = pathStart;
        while (q < end && buf.get(q) != '?') q++;
        head.pathOffset = pathStart;
        head.pathLength = q - pathStart;
        if (q < end) {
            head.queryOffset = q + 1;
            head.queryLength = end - q - 1;
        }
        return 0;
    }

    /** Index after {@code scheme://} when the target starts with one (RFC 3986 scheme), else -1. */
    private static int schemeEnd(ByteBuffer buf, int offset, int end) {
        int i = offset;
        while (i < end) {
            byte b = buf.get(i);
            boolean alpha = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
            boolean schemeChar = alpha || (i > offset && ((b >= '0' && b <= '9') || b == '+' || b == '-' || b == '.'));
            if (!schemeChar) break;
            i++;
        }
        if (i == offset || end - i < 3 || buf.get(i) != ':' || buf.get(i + 1) != '/' || buf.get(i + 2) != '/') {
            return -1;
        }
        return i + 3;
    }

    private int fail(int status, String reason) {
        failure = reason;
        return -status;
    }

    private int failStatus(int status, String reason) {
        failure = reason;
        return status;
    }
}

package dev.gust.http.parse;

import dev.gust.http.HttpLimits;
import dev.gust.http.HttpStatus;
import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;

/**
 * Incremental decoder of the chunked transfer coding (RFC 9112 §7.1). It walks the framing one
 * byte at a time, in any split, and hands chunk data back as index ranges of the input so the
 * caller can deliver it without copying.
 *
 * <p>Extensions are validated against the grammar and ignored; trailer fields are validated,
 * bounded and discarded. Sizes are checked for overflow and against the body limit.
 */
final class ChunkedDecoder {
    static final int NEED_MORE = -1;
    static final int DONE = -2;

    // The chunk-size line.
    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int SIZE_WHITESPACE = 2;
    private static final int EXT_NAME_START = 3;
    private static final int EXT_NAME = 4;
    private static final int EXT_AFTER_NAME = 5;
    private static final int EXT_VALUE_START = 6;
    private static final int EXT_TOKEN = 7;
    private static final int EXT_QUOTED = 8;
    private static final int EXT_QUOTED_ESCAPE = 9;
    private static final int EXT_AFTER_VALUE = 10;
    private static final int SIZE_LF = 11;
    // Chunk data and its CRLF.
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    // The trailer section after the last chunk.
    private static final int TRAILER_LINE_START = 15;
    private static final int TRAILER_NAME = 16;
    private static final int TRAILER_VALUE = 17;
    private static final int TRAILER_LF = 18;
    private static final int END_LF = 19;

    private final long maxBodySize;
    private final int maxTrailerSize;
    private final int maxChunkLineSize;

    private int state;
    private long size;
    private long remaining;
    private long total;
    private int lineBytes;
    private int trailerBytes;
    private int position;
    private int dataStart;
    private String failure;

    ChunkedDecoder(HttpLimits limits) {
        this.maxBodySize = limits.maxBodySize();
        this.maxTrailerSize = limits.maxTrailerSize();
        this.maxChunkLineSize = limits.maxChunkLineSize();
    }

    void reset() {
        state = SIZE_START;
        size = remaining = total = 0;
        lineBytes = trailerBytes = 0;
    }

    /**
     * Decodes from {@code in[pos, limit)}.
     *
     * @return a positive count of chunk-data bytes starting at {@link #dataStart()}, {@link #NEED_MORE}
     *     (all input consumed), {@link #DONE} (body and trailers complete), or {@code -status}; after
     *     every call {@link #position()} is where decoding stopped
     */
    int next(ByteBuffer in, int pos, int limit) {
        while (pos < limit) {
            if (state == DATA) {
                int n = (int) Math.min(remaining, limit - pos);
                dataStart = pos;
                position = pos + n;
                remaining -= n;
                if (remaining == 0) state = DATA_CR;
                return n;
            }
            int result = step(in.get(pos++));
            if (result != 0) {
                position = pos;
                return result;
            }
        }
        position = pos;
        return NEED_MORE;
    }

    int position() {
        return position;
    }

    int dataStart() {
        return dataStart;
    }

    String failure() {
        return failure;
    }

    /** Consumes one framing byte; returns 0 to go on, DONE, or -status. */
    private int step(byte b) {
        if (state <= SIZE_LF && ++lineBytes > maxChunkLineSize) {
            return fail(HttpStatus.BAD_REQUEST, "chunk-size line too long");
        }
        if (state >= TRAILER_LINE_START && ++trailerBytes > maxTrailerSize) {
            return fail(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "trailer section too large");
        }
        boolean ws = Ascii.isWhitespace(b);
        switch (state) {
            case SIZE_START, SIZE -> {
                int digit = Ascii.hexValue(b);
                if (digit >= 0) {
                    if (size > (Long.MAX_VALUE >> 4)) return fail(HttpStatus.BAD_REQUEST, "chunk size overflow");
                    size = size << 4 | digit;
                    state = SIZE;
                } else if (state == SIZE_START) {
                    return fail(HttpStatus.BAD_REQUEST, "missing chunk size");
                } else if (b == ';') {
                    state = EXT_NAME_START;
                } else if (ws) {
                    state = SIZE_WHITESPACE;
                } else if (b == '\r') {
                    state = SIZE_LF;
                } else {
                    return fail(HttpStatus.BAD_REQUEST, "invalid chunk size");
                }
            }
            case SIZE_WHITESPACE -> {   // BWS is only allowed before a ';'
                if (b == ';') state = EXT_NAME_START;
                else if (!ws) return fail(HttpStatus.BAD_REQUEST, "invalid chunk size");
            }
            case EXT_NAME_START -> {
                if (Ascii.isTchar(b)) state = EXT_NAME;
                else if (!ws) return badExtension();
            }
            case EXT_NAME -> {
                if (Ascii.isTchar(b)) break;
                if (ws) state = EXT_AFTER_NAME;
                else return extensionDelimiter(b, true);
            }
            case EXT_AFTER_NAME -> {
                if (b == '=') state = EXT_VALUE_START;
                else if (b == ';') state = EXT_NAME_START;
                else if (!ws) return badExtension();
            }
            case EXT_VALUE_START -> {
                if (b == '"') state = EXT_QUOTED;
                else if (Ascii.isTchar(b)) state = EXT_TOKEN;
                else if (!ws) return badExtension();
            }
            case EXT_TOKEN -> {
                if (Ascii.isTchar(b)) break;
                if (ws) state = EXT_AFTER_VALUE;
                else return extensionDelimiter(b, false);
            }
            case EXT_QUOTED -> {
                if (b == '"') state = EXT_AFTER_VALUE;
                else if (b == '\\') state = EXT_QUOTED_ESCAPE;
                else if (!Ascii.isFieldChar(b)) return badExtension();
            }
            case EXT_QUOTED_ESCAPE -> {
                if (!Ascii.isFieldChar(b)) return badExtension();
                state = EXT_QUOTED;
            }
            case EXT_AFTER_VALUE -> {
                if (b == ';') state = EXT_NAME_START;
                else if (b == '\r') state = SIZE_LF;
                else if (!ws) return badExtension();
            }
            case SIZE_LF -> {
                if (b != '\n') return fail(HttpStatus.BAD_REQUEST, "bare CR in chunk-size line");
                return startChunk();
            }
            case DATA_CR -> {
                if (b != '\r') return fail(HttpStatus.BAD_REQUEST, "chunk data longer than its size");
                state = DATA_LF;
            }
            case DATA_LF -> {
                if (b != '\n') return fail(HttpStatus.BAD_REQUEST, "bare CR after chunk data");
                state = SIZE_START;
                size = 0;
                lineBytes = 0;
            }
            case TRAILER_LINE_START -> {
                if (b == '\r') state = END_LF;
                else if (Ascii.isTchar(b)) state = TRAILER_NAME;
                else return fail(HttpStatus.BAD_REQUEST, "invalid trailer field");
            }
            case TRAILER_NAME -> {
                if (b == ':') state = TRAILER_VALUE;
                else if (!Ascii.isTchar(b)) return fail(HttpStatus.BAD_REQUEST, "invalid trailer field name");
            }
            case TRAILER_VALUE -> {
                if (b == '\r') state = TRAILER_LF;
                else if (!Ascii.isFieldChar(b)) return fail(HttpStatus.BAD_REQUEST, "invalid trailer field value");
            }
            case TRAILER_LF -> {
                if (b != '\n') return fail(HttpStatus.BAD_REQUEST, "bare CR in trailer");
                state = TRAILER_LINE_START;
            }
            case END_LF -> {
                if (b != '\n') return fail(HttpStatus.BAD_REQUEST, "bare CR after trailers");
                return DONE;
            }
            default -> throw new IllegalStateException("chunked decoder state " + state);
        }
        return 0;
    }

    /** After an extension name or token value: ';' starts another, '=' a value (names only), CR ends the line. */
    private int extensionDelimiter(byte b, boolean afterName) {
        if (b == ';') state = EXT_NAME_START;
        else if (b == '=' && afterName) state = EXT_VALUE_START;
        else if (b == '\r') state = SIZE_LF;
        else return badExtension();
        return 0;
    }

    private int startChunk() {
        if (size == 0) {
            state = TRAILER_LINE_START;
            return 0;
        }
        if (size > maxBodySize - total) return fail(HttpStatus.CONTENT_TOO_LARGE, "chunked body over the body limit");
        total += size;
        remaining = size;
        state = DATA;
        return 0;
    }

    private int badExtension() {
        return fail(HttpStatus.BAD_REQUEST, "malformed chunk extension");
    }

    private int fail(int status, String reason) {
        failure = reason;
        return -status;
    }
}

package dev.gust.http.parse;

import java.nio.ByteBuffer;

/**
 * Finds the empty line that ends a request head when the head arrives in pieces, remembering how
 * much of the line structure it has seen so every byte is scanned exactly once.
 *
 * <p>It rejects a bare CR or bare LF as soon as it sees one, as the full parse would, so the
 * outcome does not depend on where the head was split; other syntax is checked by the full parse
 * once the end is found.
 */
final class HeadEndScanner {
    static final int NOT_YET = -1;
    static final int MALFORMED = -2;

    private static final int MID_LINE = 0;
    private static final int AFTER_CR = 1;
    private static final int LINE_START = 2;
    private static final int EMPTY_LINE_CR = 3;

    private int state = MID_LINE;

    /** Starts a head; leading empty lines were skipped, so it begins in the request line. */
    void reset() {
        state = MID_LINE;
    }

    /**
     * Returns the index just past the head's final CRLF within {@code [from, to)}, {@link #NOT_YET},
     * or {@link #MALFORMED} at a bare CR or LF.
     */
    int scan(ByteBuffer buf, int from, int to) {
        int s = state;
        for (int i = from; i < to; i++) {
            byte c = buf.get(i);
            switch (s) {
                case MID_LINE -> {
                    if (c == '\r') s = AFTER_CR;
                    else if (c == '\n') return MALFORMED;
                }
                case AFTER_CR -> {
                    if (c != '\n') return MALFORMED;
                    s = LINE_START;
                }
                case LINE_START -> {
                    if (c == '\r') s = EMPTY_LINE_CR;
                    else if (c == '\n') return MALFORMED;
                    else s = MID_LINE;
                }
                default -> {
                    if (c != '\n') return MALFORMED;
                    state = MID_LINE;
                    return i + 1;
                }
            }
        }
        state = s;
        return NOT_YET;
    }
}

package dev.gust.websocket.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Incremental UTF-8 validator: a DFA in the style of Hoehrmann, encoded as a "shift DFA" (one
 * 64-bit table row per byte value, next state = {@code row >>> state & 63}) so each byte costs one
 * lookup, processed a 64-bit word at a time, plus a path that skips ASCII 32 bytes at a time.
 *
 * <p>State carries across calls, so a text message split over many frames and reads is validated
 * as one stream. It fails fast: {@link #update} returns {@code false} as soon as it reaches a
 * byte that cannot belong to valid UTF-8 (overlong forms, surrogates, code points above U+10FFFF,
 * stray continuation bytes), without examining the rest of the input beyond that 8-byte word. A sequence cut by the end of a chunk is fine
 * until {@link #isComplete()} is asked at the end of the message.
 *
 * <pre>{@code
 * var utf8 = new Utf8Validator();
 * for (ByteBuffer fragment : fragments) {
 *     if (!utf8.update(fragment, fragment.position(), fragment.limit())) fail(1007);
 * }
 * if (!utf8.isComplete()) fail(1007);
 * utf8.reset();
 * }</pre>
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class Utf8Validator {
    // States are bit offsets into a table row (multiples of 6); 9 states fit in 54 bits.
    private static final int ACCEPT = 0;
    private static final int REJECT = 6;
    private static final int NEED_1 = 12;        // one continuation byte 80..BF left
    private static final int NEED_2 = 18;        // two continuation bytes left
    private static final int AFTER_E0 = 24;      // next A0..BF (rejects overlong 3-byte forms)
    private static final int AFTER_ED = 30;      // next 80..9F (rejects surrogates D800..DFFF)
    private static final int AFTER_F0 = 36;      // next 90..BF (rejects overlong 4-byte forms)
    private static final int NEED_3 = 42;        // three continuation bytes left
    private static final int AFTER_F4 = 48;      // next 80..8F (rejects > U+10FFFF)
    private static final int[] STATES = {ACCEPT, REJECT, NEED_1, NEED_2, AFTER_E0, AFTER_ED, AFTER_F0, NEED_3, AFTER_F4};

    private static final long[] ROWS = buildRows();
    private static final long NON_ASCII = 0x8080808080808080L;
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int state = ACCEPT;

    /**
     * Feeds bytes {@code [from, to)} of {@code buf} (absolute indices within its limit; position
     * and limit are not used or changed). Returns {@code false} as soon as the stream is known to
     * be invalid (checked every 8 bytes, so nothing past the offending word is examined), and on
     * every later call until {@link #reset()}.
     */
    public boolean update(ByteBuffer buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.limit());
        if (buf.hasArray()) {
            int offset = buf.arrayOffset();
            return update(buf.array(), offset + from, offset + to);
        }
        int s = state;
        int i = from;
        while (i < to) {
            if (to - i < 8) {
                s = step(s, buf.get(i++));
                continue;
            }
            if (s == ACCEPT) {
                while (to - i >= 32 && isAscii32(buf, i)) {
                    i += 32;
                }
                if (to - i < 8) {
                    continue;
                }
            }
            long word = (long) BUFFER_LONG.get(buf, i);
            i += 8;
            s = (s == ACCEPT && (word & NON_ASCII) == 0) ? ACCEPT : step8(s, word);
            if (s == REJECT) {
                break;
            }
        }
        state = s;
        return s != REJECT;
    }

    /** Array variant of {@link #update(ByteBuffer, int, int)}. */
    public boolean update(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int s = state;
        int i = from;
        while (i < to) {
            if (to - i < 8) {
                s = step(s, bytes[i++]);
                continue;
            }
            if (s == ACCEPT) {
                while (to - i >= 32 && isAscii32(bytes, i)) {
                    i += 32;
                }
                if (to - i < 8) {
                    continue;
                }
            }
            long word = (long) ARRAY_LONG.get(bytes, i);
            i += 8;
            s = (s == ACCEPT && (word & NON_ASCII) == 0) ? ACCEPT : step8(s, word);
            if (s == REJECT) {
                break;
            }
        }
        state = s;
        return s != REJECT;
    }

    /** True when everything fed so far is valid and no multi-byte sequence is left open. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** True once an invalid byte has been seen. */
    public boolean isInvalid() {
        return state == REJECT;
    }

    /** Starts a new stream. */
    public void reset() {
        state = ACCEPT;
    }

    /** One-shot check of bytes {@code [from, to)} of {@code buf}; does not touch any instance. */
    public static boolean isValid(ByteBuffer buf, int from, int to) {
        var v = new Utf8Validator(); // scalar-replaced by escape analysis in practice
        return v.update(buf, from, to) && v.isComplete();
    }

    /** One-shot check of a whole array. */
    public static boolean isValid(byte[] bytes) {
        var v = new Utf8Validator();
        return v.update(bytes, 0, bytes.length) && v.isComplete();
    }

    private static int step(int state, byte b) {
        return (int) (ROWS[b & 0xFF] >>> state) & 63;
    }

    /**
     * Eight DFA steps over the bytes of a little-endian word (first byte lowest). The table loads
     * do not depend on the state, and a long shift only uses the low 6 bits of its count, so the
     * serial chain is one shift per byte; the state is masked once at the end.
     */
    private static int step8(int state, long word) {
        long s = state;
        s = ROWS[(int) word & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 8) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 16) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 24) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 32) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 40) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 48) & 0xFF] >>> s;
        s = ROWS[(int) (word >>> 56) & 0xFF] >>> s;
        return (int) s & 63;
    }

    private static boolean isAscii32(ByteBuffer buf, int i) {
        long any = (long) BUFFER_LONG.get(buf, i) | (long) BUFFER_LONG.get(buf, i + 8)
                | (long) BUFFER_LONG.get(buf, i + 16) | (long) BUFFER_LONG.get(buf, i + 24);
        return (any & NON_ASCII) == 0;
    }

    private static boolean isAscii32(byte[] bytes, int i) {
        long any = (long) ARRAY_LONG.get(bytes, i) | (long) ARRAY_LONG.get(bytes, i + 8)
                | (long) ARRAY_LONG.get(bytes, i + 16) | (long) ARRAY_LONG.get(bytes, i + 24);
        return (any & NON_ASCII) == 0;
    }

    private static long[] buildRows() {
        long[] rows = new long[256];
        for (int b = 0; b < 256; b++) {
            long row = 0;
            for (int s : STATES) {
                row |= (long) transition(s, b) << s;
            }
            rows[b] = row;
        }
        return rows;
    }

    /** The UTF-8 grammar of RFC 3629 section 4, one byte at a time. */
    private static int transition(int state, int b) {
        return switch (state) {
            case ACCEPT -> {
                if (b <= 0x7F) yield ACCEPT;
                if (b >= 0xC2 && b <= 0xDF) yield NEED_1;
                if (b == 0xE0) yield AFTER_E0;
                if (b == 0xED) yield AFTER_ED;
                if (b >= 0xE1 && b <= 0xEF) yield NEED_2;
                if (b == 0xF0) yield AFTER_F0;
                if (b >= 0xF1 && b <= 0xF3) yield NEED_3;
                if (b == 0xF4) yield AFTER_F4;
                yield REJECT; // 80..C1 (stray continuation, overlong 2-byte lead), F5..FF
            }
            case NEED_1 -> inRange(b, 0x80, 0xBF) ? ACCEPT : REJECT;
            case NEED_2 -> inRange(b, 0x80, 0xBF) ? NEED_1 : REJECT;
            case AFTER_E0 -> inRange(b, 0xA0, 0xBF) ? NEED_1 : REJECT;
            case AFTER_ED -> inRange(b, 0x80, 0x9F) ? NEED_1 : REJECT;
            case AFTER_F0 -> inRange(b, 0x90, 0xBF) ? NEED_2 : REJECT;
            case NEED_3 -> inRange(b, 0x80, 0xBF) ? NEED_2 : REJECT;
            case AFTER_F4 -> inRange(b, 0x80, 0x8F) ? NEED_2 : REJECT;
            default -> REJECT;
        };
    }

    private static boolean inRange(int b, int lo, int hi) {
        return b >= lo && b <= hi;
    }
}

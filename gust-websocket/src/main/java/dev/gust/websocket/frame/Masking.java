package dev.gust.websocket.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR masking of WebSocket payloads (RFC 6455 section 5.3), in place, eight bytes at a time.
 * Masking and unmasking are the same operation.
 *
 * <p>The mask key is the 4 wire bytes read as a big-endian {@code int}. {@code phase} is how many
 * payload bytes of the same frame came before {@code from} (only {@code phase & 3} matters), so a
 * frame split across reads is unmasked chunk by chunk:
 *
 * <pre>{@code
 * Masking.apply(buf, from, to, maskKey, bytesOfThisFrameAlreadySeen);
 * }</pre>
 */
public final class Masking {
    // Little-endian view regardless of the buffer's own order: XOR works on memory bytes, so the
    // mask word is built in the same (memory) order.
    private static final VarHandle LONG_LE =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Masking() {}

    /**
     * XORs bytes {@code [from, to)} of {@code buf} (absolute indices, limit must be at least
     * {@code to}) with the mask, starting at mask byte {@code phase & 3}.
     *
     * @throws java.nio.ReadOnlyBufferException if {@code buf} is read-only
     */
    public static void apply(ByteBuffer buf, int from, int to, int maskKey, long phase) {
        int key = Integer.rotateLeft(maskKey, 8 * (int) (phase & 3)); // key byte for `from` on top
        int keyLe = Integer.reverseBytes(key);
        long word = (keyLe & 0xFFFF_FFFFL) | ((long) keyLe << 32);
        // Canonical counted loop (i < bound, constant stride): a form like `i <= to - 8` trips
        // C2's loop-limit check on some chunk sizes and the recompiled loop is not vectorized.
        int wordsEnd = from + ((to - from) & ~7);
        int i = from;
        for (; i < wordsEnd; i += 8) {
            LONG_LE.set(buf, i, (long) LONG_LE.get(buf, i) ^ word);
        }
        // The 8-byte steps keep the mask phase, so the tail starts at key byte 0 again.
        for (int shift = 24; i < to; i++, shift = (shift - 8) & 31) {
            buf.put(i, (byte) (buf.get(i) ^ (key >>> shift)));
        }
    }
}

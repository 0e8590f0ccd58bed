package dev.gust.websocket.frame;

import java.security.SecureRandom;

/**
 * Masking keys for client frames (RFC 6455 section 10.3: unpredictable, from a strong source).
 * Each thread (in practice each loop) draws 4 KiB at a time from its own {@link SecureRandom} and
 * hands out 4 bytes per frame, so a key costs an array read, and one SecureRandom call serves
 * 1024 frames. Every key is fresh SecureRandom output, not a seeded PRNG's.
 *
 * <pre>{@code
 * FrameWriter.writeMaskedHeader(dst, OpCode.TEXT, true, 0, length, MaskKeys.next());
 * }</pre>
 */
public final class MaskKeys {
    private static final ThreadLocal<MaskKeys> PER_THREAD = ThreadLocal.withInitial(MaskKeys::new);

    private final SecureRandom random = new SecureRandom();
    private final byte[] pool = new byte[4096];
    private int next = pool.length;

    private MaskKeys() {}

    /** A fresh 32-bit masking key for the calling thread. */
    public static int next() {
        return PER_THREAD.get().take();
    }

    private int take() {
        if (next == pool.length) {
            random.nextBytes(pool);
            next = 0;
        }
        int key = (pool[next] & 0xFF) << 24 | (pool[next + 1] & 0xFF) << 16 | (pool[next + 2] & 0xFF) << 8 | (pool[next + 3] & 0xFF);
        next += 4;
        return key;
    }
}

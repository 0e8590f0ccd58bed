package dev.gust.conformance;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ThreadLocalRandom;

/** Encodes client frames exactly as asked, including broken ones (reserved bits, reserved opcodes, bad lengths). */
public final class FrameWriter {
    private FrameWriter() {}

    /**
     * One masked client frame. {@code rsv} is the 3-bit RSV field (RSV1 = 4); any opcode 0..15 is accepted.
     */
    public static byte[] encode(int opcode, byte[] payload, boolean fin, int rsv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f));
        int n = payload.length;
        if (n <= 125) {
            b.write(0x80 | n);
        } else if (n <= 0xffff) {
            b.write(0x80 | 126);
            b.write(n >>> 8);
            b.write(n);
        } else {
            b.write(0x80 | 127);
            long len = n;
            for (int s = 56; s >= 0; s -= 8) b.write((int) (len >>> s));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        b.writeBytes(mask);
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        b.writeBytes(masked);
        return b.toByteArray();
    }
}

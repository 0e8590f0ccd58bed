package dev.gust.websocket.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int KEY = 0x37FA213D; // RFC 6455 section 5.7 example key

    private static byte[] naive(byte[] data, int key, int phase) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            int keyByte = (key >>> (24 - 8 * ((i + phase) & 3))) & 0xFF;
            out[i] ^= (byte) keyByte;
        }
        return out;
    }

    private static byte[] read(ByteBuffer buf, int from, int length) {
        byte[] out = new byte[length];
        buf.get(from, out);
        return out;
    }

    @Test
    void rfcExampleUnmasksToHello() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58});
        Masking.apply(buf, 0, 5, KEY, 0);
        assertArrayEquals("Hello".getBytes(), buf.array());
    }

    @Test
    void matchesBytewiseXorForEveryLengthPhaseOffsetAndBufferKind() {
        var random = new Random(1);
        for (int length = 0; length <= 40; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            for (int phase = 0; phase < 8; phase++) {
                for (int offset = 0; offset < 3; offset++) {
                    for (int kind = 0; kind < 3; kind++) {
                        ByteBuffer buf = kind == 0 ? ByteBuffer.allocate(length + 6) : ByteBuffer.allocateDirect(length + 6);
                        if (kind == 2) {
                            buf.order(ByteOrder.LITTLE_ENDIAN); // the buffer's order must not matter
                        }
                        buf.put(offset, data);
                        Masking.apply(buf, offset, offset + length, KEY, phase);
                        assertArrayEquals(naive(data, KEY, phase), read(buf, offset, length),
                                "len " + length + " phase " + phase + " offset " + offset + " kind " + kind);
                        buf.put(offset + length, (byte) 0); // bytes outside the range stay untouched
                    }
                }
            }
        }
    }

    @Test
    void chunkedApplicationWithRunningPhaseEqualsWholeApplication() {
        byte[] data = new byte[1000];
        new Random(2).nextBytes(data);
        byte[] expected = naive(data, KEY, 0);
        for (int chunk = 1; chunk <= 17; chunk++) {
            ByteBuffer buf = ByteBuffer.wrap(data.clone());
            for (int i = 0; i < data.length; i += chunk) {
                Masking.apply(buf, i, Math.min(data.length, i + chunk), KEY, i);
            }
            assertArrayEquals(expected, buf.array(), "chunk " + chunk);
        }
    }
}

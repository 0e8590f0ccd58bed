package dev.gust.websocket.deflate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void roundTripWithAndWithoutContextTakeover() throws Exception {
        for (boolean reset : new boolean[] {true, false}) {
            try (var d = new MessageDeflater(reset); var i = new MessageInflater(reset)) {
                for (int n = 0; n < 5; n++) {
                    byte[] msg = ("hello hello hello message " + n + " ".repeat(n * 100)).getBytes(StandardCharsets.UTF_8);
                    ByteBuffer c = ByteBuffer.wrap(bytes(d.compress(ByteBuffer.wrap(msg))));
                    assertArrayEquals(msg, bytes(i.inflate(c, 1 << 20)));
                }
            }
        }
    }

    @Test
    void contextTakeoverShrinksRepeats() {
        byte[] msg = "{\"price\":42.5,\"symbol\":\"ACME\",\"venue\":\"XNYS\",\"size\":100}".repeat(3).getBytes();
        try (var keep = new MessageDeflater(false); var reset = new MessageDeflater(true)) {
            keep.compress(ByteBuffer.wrap(msg));
            reset.compress(ByteBuffer.wrap(msg));
            assertTrue(keep.compress(ByteBuffer.wrap(msg)).remaining() < reset.compress(ByteBuffer.wrap(msg)).remaining());
        }
    }

    /** A zip bomb: ~64 KiB of deflate that would inflate to 64 MiB stops just past the cap. */
    @Test
    void inflateStopsAtTheCap() throws Exception {
        byte[] zeros = new byte[64 << 20];
        Deflater d = new Deflater(9, true);
        d.setInput(zeros);
        byte[] out = new byte[1 << 20];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        assertTrue(n < 100_000, "compressed " + n);
        try (var i = new MessageInflater(true)) {
            long before = allocated();
            assertNull(i.inflate(ByteBuffer.wrap(out, 0, n - 4), 1 << 20));
            long spent = allocated() - before;
            assertTrue(spent < 8L << 20, "allocated " + spent + " bytes for a 1 MiB cap");
            // still usable afterwards
            ByteBuffer c = ByteBuffer.wrap(bytes(new MessageDeflater(true).compress(ByteBuffer.wrap("ok".getBytes()))));
            assertEquals("ok", new String(bytes(i.inflate(c, 10))));
        }
    }

    @Test
    void exactlyAtTheCapIsAccepted() throws Exception {
        byte[] msg = new byte[1000];
        try (var d = new MessageDeflater(true); var i = new MessageInflater(true)) {
            ByteBuffer c = ByteBuffer.wrap(bytes(d.compress(ByteBuffer.wrap(msg))));
            assertEquals(1000, i.inflate(c.duplicate(), 1000).remaining());
            assertNull(i.inflate(c.duplicate(), 999));
        }
    }

    @Test
    void garbageIsADataFormatError() {
        try (var i = new MessageInflater(true)) {
            assertThrows(DataFormatException.class, () -> i.inflate(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2}), 100));
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}

package dev.gust.websocket.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static final CharsetDecoder STRICT = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private static final CharBuffer CHARS = CharBuffer.allocate(64);

    /** Reference answer: the JDK's strict decoder (results, not exceptions, to keep it fast). */
    private static boolean jdkAccepts(byte[] bytes) {
        STRICT.reset();
        CHARS.clear();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return !STRICT.decode(in, CHARS, true).isError() && !STRICT.flush(CHARS).isError() && !in.hasRemaining();
    }

    private static boolean viaBuffer(byte[] bytes, boolean direct) {
        // Embed at an offset with garbage around it to catch index mistakes.
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(bytes.length + 10) : ByteBuffer.allocate(bytes.length + 10);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0xFF);
        }
        buf.put(3, bytes);
        return Utf8Validator.isValid(buf, 3, 3 + bytes.length);
    }

    @Test
    void everyScalarValueEncodedByTheJdkIsValidWholeAndInEveryChunking() {
        var out = new ByteArrayOutputStream();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = out.toByteArray();
        assertTrue(Utf8Validator.isValid(all));
        assertTrue(viaBuffer(all, false));
        assertTrue(viaBuffer(all, true));
        for (int chunk : new int[] {1, 5, 8, 13, 4096}) {
            var v = new Utf8Validator();
            for (int i = 0; i < all.length; i += chunk) {
                assertTrue(v.update(all, i, Math.min(all.length, i + chunk)), "chunk " + chunk + " at " + i);
            }
            assertTrue(v.isComplete());
        }
    }

    @Test
    void rejectsSurrogatesOverlongsOutOfRangeAndStrayBytes() {
        String[] invalid = {
            "80", "bf", "c0 80", "c1 bf", "e0 80 80", "e0 9f bf", "f0 80 80 80", "f0 8f bf bf",
            "ed a0 80", "ed bf bf", "ed af bf ed bf bf", "f4 90 80 80", "f5 80 80 80", "f8", "fe", "ff",
            "c2 41", "e2 82 41", "f0 9f 98 41", "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64",
        };
        for (String s : invalid) {
            byte[] b = hex(s);
            assertFalse(Utf8Validator.isValid(b), s);
            assertFalse(viaBuffer(b, false), s);
            assertFalse(viaBuffer(b, true), s);
        }
    }

    @Test
    void boundaryScalarValuesAreValid() {
        for (String s : new String[] {"00", "7f", "c2 80", "df bf", "e0 a0 80", "ed 9f bf", "ee 80 80", "ef bf bf",
                "f0 90 80 80", "f4 8f bf bf", "ce ba e1 bd b9 cf 83 ce bc ce b5"}) {
            assertTrue(Utf8Validator.isValid(hex(s)), s);
        }
    }

    @Test
    void truncatedSequenceIsNotCompleteButNotInvalidYet() {
        var v = new Utf8Validator();
        assertTrue(v.update(hex("41 e2 82"), 0, 3));
        assertFalse(v.isComplete());
        assertFalse(v.isInvalid());
        assertTrue(v.update(hex("ac"), 0, 1)); // completes the euro sign
        assertTrue(v.isComplete());
    }

    @Test
    void failsFastAtTheFirstImpossibleByteEvenWhenFedOneByteAtATime() {
        // "κόσμε" then ED A0 80 (a surrogate): ED may still be valid, A0 after ED never is.
        byte[] b = hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64");
        assertEquals(12, firstFailingIndex(b));
        assertEquals(1, firstFailingIndex(hex("f4 90 80 80"))); // above U+10FFFF decided at 2nd byte
        assertEquals(1, firstFailingIndex(hex("e0 80 80")));     // overlong decided at 2nd byte
        assertEquals(40, firstFailingIndex(concat("a".repeat(40).getBytes(StandardCharsets.US_ASCII), hex("80"))));
        // Fed in one call, the failure is still found mid-chunk without reading further input.
        var v = new Utf8Validator();
        assertFalse(v.update(concat(hex("ff"), "b".repeat(1000).getBytes(StandardCharsets.US_ASCII)), 0, 1001));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int firstFailingIndex(byte[] b) {
        var v = new Utf8Validator();
        for (int i = 0; i < b.length; i++) {
            if (!v.update(b, i, i + 1)) {
                assertFalse(v.update(b, 0, b.length), "invalid state must be sticky");
                return i;
            }
        }
        return -1;
    }

    @Test
    void asciiFastPathFindsANonAsciiByteAtEveryPosition() {
        for (int len = 1; len <= 40; len++) {
            for (int at = 0; at < len; at++) {
                byte[] bad = "x".repeat(len).getBytes(StandardCharsets.US_ASCII);
                bad[at] = (byte) 0x80;
                assertFalse(Utf8Validator.isValid(bad), len + "/" + at);
                assertFalse(viaBuffer(bad, true), len + "/" + at);
                String good = "x".repeat(at) + "é" + "x".repeat(len - at);
                assertTrue(viaBuffer(good.getBytes(StandardCharsets.UTF_8), false), len + "/" + at);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomByteSequences() {
        byte[] interesting = hex("00 41 7f 80 8f 90 9f a0 bf c0 c1 c2 df e0 e1 ec ed ee ef f0 f1 f3 f4 f5 ff");
        var random = new Random(6455);
        for (int iter = 0; iter < 200_000; iter++) {
            byte[] b = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
            }
            boolean expected = jdkAccepts(b);
            assertEquals(expected, Utf8Validator.isValid(b), HexFormat.of().formatHex(b));
            int split = random.nextInt(b.length + 1);
            var v = new Utf8Validator();
            boolean ok = v.update(b, 0, split) && v.update(b, split, b.length) && v.isComplete();
            assertEquals(expected, ok, HexFormat.of().formatHex(b) + " split " + split);
        }
    }

    @Test
    void everyTwoByteSequenceAgreesWithTheJdk() {
        byte[] b = new byte[2];
        for (int x = 0; x < 0x10000; x++) {
            b[0] = (byte) (x >> 8);
            b[1] = (byte) x;
            assertEquals(jdkAccepts(b), Utf8Validator.isValid(b), HexFormat.of().formatHex(b));
        }
    }

    @Test
    void resetStartsANewStream() {
        var v = new Utf8Validator();
        assertFalse(v.update(hex("ff"), 0, 1));
        assertTrue(v.isInvalid());
        v.reset();
        assertTrue(v.update(hex("41"), 0, 1));
        assertTrue(v.isComplete());
    }
}

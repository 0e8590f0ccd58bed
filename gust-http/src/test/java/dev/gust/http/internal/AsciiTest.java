package dev.gust.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void wordAtATimeSkipsAgreeWithTheByteTables() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] data = new byte[64];
        for (int trial = 0; trial < 20_000; trial++) {
            // Mostly valid bytes with an occasional stop byte, anywhere in the word.
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(12) == 0 ? (byte) random.nextInt(256) : (byte) random.nextInt(0x21, 0x7F);
            }
            ByteBuffer buf = trial % 2 == 0 ? ByteBuffer.wrap(data) : ByteBuffer.allocateDirect(64).put(data).flip();
            int from = random.nextInt(data.length);
            int to = random.nextInt(from, data.length + 1);
            int field = from;
            while (field < to && Ascii.isFieldChar(data[field])) field++;
            int target = from;
            while (target < to && Ascii.isTargetChar(data[target])) target++;
            assertEquals(field, Ascii.skipFieldChars(buf, from, to));
            assertEquals(target, Ascii.skipTargetChars(buf, from, to));
        }
    }

    @Test
    void classifiesTheGrammarCharacters() {
        assertTrue(Ascii.isTchar((byte) '!'));
        assertTrue(Ascii.isTchar((byte) '~'));
        assertFalse(Ascii.isTchar((byte) ':'));
        assertFalse(Ascii.isTchar((byte) '"'));
        assertFalse(Ascii.isTchar((byte) 0xE9));
        assertTrue(Ascii.isFieldChar((byte) '\t'));
        assertTrue(Ascii.isFieldChar((byte) 0xE9));
        assertFalse(Ascii.isFieldChar((byte) 0x7F));
        assertFalse(Ascii.isFieldChar((byte) '\r'));
        assertFalse(Ascii.isTargetChar((byte) ' '));
        assertEquals(11, Ascii.hexValue((byte) 'B'));
        assertEquals(-1, Ascii.hexValue((byte) 'g'));
    }
}

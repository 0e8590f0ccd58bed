package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CloseCodesTest {

    @Test
    void assignedCodesAndApplicationRangesAreValid() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
                3000, 3500, 3999, 4000, 4999}) {
            assertTrue(CloseCodes.isValidOnWire(code), "code " + code);
        }
    }

    @Test
    void reservedLocalOnlyAndUnassignedCodesAreInvalid() {
        for (int code : new int[] {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535, -1}) {
            assertFalse(CloseCodes.isValidOnWire(code), "code " + code);
        }
    }

    @Test
    void everyCodeInTheUnsigned16BitRangeFollowsTheRule() {
        int valid = 0;
        for (int code = 0; code <= 0xFFFF; code++) {
            if (CloseCodes.isValidOnWire(code)) {
                valid++;
            }
        }
        assertEquals(4 + 8 + 2000, valid); // 1000-1003, 1007-1014, 3000-4999
    }

    @Test
    void opcodesMapBothWaysAndReservedValuesHaveNone() {
        for (OpCode op : OpCode.values()) {
            assertSame(op, OpCode.fromCode(op.code()));
        }
        for (int code : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF, 16, -1}) {
            assertNull(OpCode.fromCode(code), "opcode " + code);
        }
        assertTrue(OpCode.PING.isControl());
        assertTrue(OpCode.CLOSE.isControl());
        assertFalse(OpCode.CONTINUATION.isControl());
        assertTrue(OpCode.TEXT.isDataStart());
        assertFalse(OpCode.CONTINUATION.isDataStart());
    }
}

package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.repeat;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import java.util.ArrayList;
import java.util.List;

/** Group 1: Framing — text (1.1.x) and binary (1.2.x) messages of the boundary payload lengths. */
final class Framing {
    private Framing() {}

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    static List<TestCase> cases() {
        List<TestCase> cases = new ArrayList<>();
        for (int kind = 1; kind <= 2; kind++) {
            boolean binary = kind == 2;
            String what = binary ? "binary" : "text";
            byte[] unit = {(byte) (binary ? 0xfe : '*')};
            for (int i = 0; i <= LENGTHS.length; i++) {
                boolean chopped = i == LENGTHS.length;
                int len = chopped ? 65536 : LENGTHS[i];
                String desc = chopped
                        ? "Send " + what + " message message with payload of length 65536. Sent out data in chops of 997 octets."
                        : "Send " + what + " message with payload " + len + ".";
                cases.add(new TestCase("1." + kind + "." + (i + 1), desc,
                        "Receive echo'ed " + what + " message (with payload as sent). Clean close with normal code.", r -> {
                            byte[] payload = repeat(unit, len);
                            r.expectOk(Event.message(payload, binary)).expectClose(ExpectedClose.normal());
                            r.sendFrame(binary ? Op.BINARY : Op.TEXT, payload, true, 0, chopped ? 997 : 0, false);
                            r.closeAfter(len > 60000 ? 2 : 1);
                        }));
            }
        }
        return cases;
    }
}

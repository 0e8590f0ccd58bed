package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.concat;
import static dev.gust.conformance.Payloads.octets;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.FrameWriter;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group 6: UTF-8 handling. Valid text is echoed; invalid text fails the connection with 1007, and 6.4.x checks
 * that it fails fast: as soon as the invalid octets arrive, not at the end of the message (else NON-STRICT).
 */
final class Utf8Handling {
    private Utf8Handling() {}

    static final byte[] HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final byte[] INVALID = concat(Utf8Sequences.KOSME, octets("\u00ed\u00a0\u0080edited"));

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        c.add(echo("6.1.1", "Send text message of length 0.", new byte[][] {{}}, 0));
        c.add(echo("6.1.2", "Send fragmented text message, 3 fragments each of length 0.", new byte[][] {{}, {}, {}}, 0));
        c.add(echo("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty.",
                new byte[][] {{}, octets("middle frame payload"), {}}, 0));
        c.add(echo("6.2.1", "Send a valid UTF-8 text message in one fragment.", new byte[][] {HELLO_UTF8}, 0));
        c.add(echo("6.2.2", "Send a valid UTF-8 text message in two fragments, fragmented on UTF-8 code point boundary.",
                new byte[][] {Arrays.copyOf(HELLO_UTF8, 11), Arrays.copyOfRange(HELLO_UTF8, 11, HELLO_UTF8.length)}, 0));
        c.add(echo("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending on positions which are not code point ends.",
                octetwise(HELLO_UTF8), 0));
        c.add(echo("6.2.4", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending on positions which are not code point ends.",
                octetwise(Utf8Sequences.KOSME), 0));
        c.add(invalid("6.3.1", "Send invalid UTF-8 text message unfragmented.", new byte[][] {INVALID}));
        c.add(invalid("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet, resulting in frames ending on positions which are not code point ends.",
                octetwise(INVALID)));
        c.add(failFastFragments("6.4.1", "Send invalid UTF-8 text message in 3 fragments (frames). First frame payload is valid, then wait, then 2nd frame which contains the payload making the sequence invalid, then wait, then 3rd frame with rest. Note that PART1 and PART3 are valid UTF-8 in themselves, PART2 is a 0x110000 encoded as in the UTF-8 integer encoding scheme, but the codepoint is invalid (out of range).",
                octets("\u00f4\u0090\u0080\u0080"), octets("edited")));
        c.add(failFastFragments("6.4.2", "Same as Case 6.4.1, but in 2nd frame, we send only up to and including the octet making the complete payload invalid.",
                octets("\u00f4\u0090"), octets("\u0080\u0080edited")));
        c.add(failFastChops("6.4.3", "Same as Case 6.4.1, but we send message not in 3 frames, but in 3 chops of the same message frame.",
                octets("\u00f4\u0090\u0080\u0080"), octets("edited")));
        c.add(failFastChops("6.4.4", "Same as Case 6.4.2, but we send message not in 3 frames, but in 3 chops of the same message frame.",
                octets("\u00f4\u0090"), octets("\u0080\u0080edited")));
        int group = 5;
        for (Utf8Sequences.Group g : Utf8Sequences.groups()) {
            int n = 1;
            for (Utf8Sequences.Sequence s : g.sequences()) {
                String id = "6." + group + "." + n++;
                String desc = "Send a text message with payload which is " + (s.valid() ? "valid" : "not valid")
                        + " UTF-8 in one fragment. (" + g.title() + ") Payload: 0x" + java.util.HexFormat.of().formatHex(s.octets());
                c.add(s.valid() ? echo(id, desc, new byte[][] {s.octets()}, 0) : invalid(id, desc, new byte[][] {s.octets()}));
            }
            group++;
        }
        return c;
    }

    private static byte[][] octetwise(byte[] b) {
        byte[][] parts = new byte[b.length][];
        for (int i = 0; i < b.length; i++) parts[i] = new byte[] {b[i]};
        return parts;
    }

    /** Sends the fragments as one text message (one frame if there is one fragment). */
    private static void sendFragments(dev.gust.conformance.CaseRun r, byte[][] fragments) {
        for (int i = 0; i < fragments.length; i++) {
            r.sendFrame(i == 0 ? Op.TEXT : Op.CONTINUATION, fragments[i], i == fragments.length - 1);
        }
    }

    private static TestCase echo(String id, String desc, byte[][] fragments, int unused) {
        return new TestCase(id, desc, "The message is echo'ed back to us.", r -> {
            r.expectOk(Event.message(concat(fragments), false)).expectClose(ExpectedClose.normal());
            sendFragments(r, fragments);
            r.closeAfter(1);
        });
    }

    private static TestCase invalid(String id, String desc, byte[][] fragments) {
        return new TestCase(id, desc, "The connection is failed immediately, since the payload is not valid UTF-8.", r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1007).fatalIfWrongEndpoint());
            sendFragments(r, fragments);
            r.killAfter(1);
        });
    }

    private static final String FAIL_FAST = "The first frame is accepted, we expect to timeout on the first wait. The 2nd frame "
            + "should be rejected immediately (fail fast on UTF-8). If we timeout, we expect the connection is failed at least "
            + "then, since the complete message payload is not valid UTF-8.";

    private static TestCase failFastFragments(String id, String desc, byte[] part2, byte[] part3) {
        return new TestCase(id, desc, FAIL_FAST, r -> {
            r.expectOk(Event.timeout("A")).expect(Verdict.NON_STRICT, Event.timeout("A"), Event.timeout("B"))
                    .expectClose(ExpectedClose.failedByServer(1007).fatalIfWrongEndpoint());
            r.sendFrame(Op.TEXT, Utf8Sequences.KOSME, false);
            if (!r.continueLater(1, "A")) return;
            r.sendFrame(Op.CONTINUATION, part2, false);
            if (!r.continueLater(1, "B")) return;
            r.sendFrame(Op.CONTINUATION, part3, true);
            r.killAfter(1);
        });
    }

    private static TestCase failFastChops(String id, String desc, byte[] part2, byte[] part3) {
        return new TestCase(id, desc, FAIL_FAST, r -> {
            r.expectOk(Event.timeout("A")).expect(Verdict.NON_STRICT, Event.timeout("A"), Event.timeout("B"))
                    .expectClose(ExpectedClose.failedByServer(1007).fatalIfWrongEndpoint());
            byte[] frame = FrameWriter.encode(Op.TEXT, concat(Utf8Sequences.KOSME, part2, part3), true, 0);
            int headerLength = frame.length - (Utf8Sequences.KOSME.length + part2.length + part3.length);
            int cut1 = headerLength + Utf8Sequences.KOSME.length, cut2 = cut1 + part2.length;
            r.sendData(Arrays.copyOf(frame, cut1), 0, true);
            if (!r.continueLater(1, "A")) return;
            r.sendData(Arrays.copyOfRange(frame, cut1, cut2), 0, true);
            if (!r.continueLater(1, "B")) return;
            r.sendData(Arrays.copyOfRange(frame, cut2, frame.length), 0, true);
            r.killAfter(1);
        });
    }
}

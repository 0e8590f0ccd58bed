package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Group 5: Fragmentation. "Chops" are TCP-level splits; sync sends every frame in its own write. */
final class Fragmentation {
    private Fragmentation() {}

    private static final byte[] F1 = octets("fragment1"), F2 = octets("fragment2");
    private static final String FAIL = "The connection is failed immediately, since there is no message to continue.";

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        c.add(fragmentedControl("5.1", "Send Ping fragmented into 2 fragments.", Op.PING));
        c.add(fragmentedControl("5.2", "Send Pong fragmented into 2 fragments.", Op.PONG));
        c.add(twoFragments("5.3", "Send text Message fragmented into 2 fragments.", 0, false));
        c.add(twoFragments("5.4", "Same as Case 5.3, but send in octet-wise chops.", 1, false));
        c.add(twoFragments("5.5", "Same as Case 5.3, but send all frames with SYNC = True, note, this does not change the octets sent in any way, only how the stream is chopped when sending.", 0, true));
        c.add(pingBetween("5.6", "Send text Message fragmented into 2 fragments, one ping with payload in-between.", 0, false));
        c.add(pingBetween("5.7", "Same as Case 5.6, but send in octet-wise chops.", 1, false));
        c.add(pingBetween("5.8", "Same as Case 5.6, but send all frames with SYNC = True, note, this does not change the octets sent in any way, only how the stream is chopped when sending.", 0, true));
        String[] how = {"sent in one chop", "sent in per-frame chops", "sent in octet-wise chops"};
        for (int i = 0; i < 3; i++) {
            c.add(nothingToContinue("5." + (9 + i), "Send unfragmented Text Message after Continuation Frame with FIN = true, where there is nothing to continue, " + how[i] + ".", true, i));
        }
        for (int i = 0; i < 3; i++) {
            c.add(nothingToContinue("5." + (12 + i), "Send unfragmented Text Message after Continuation Frame with FIN = false, where there is nothing to continue, " + how[i] + ".", false, i));
        }
        c.add(new TestCase("5.15", "Send text Message fragmented into 2 fragments, then Continuation Frame with FIN = false where there is nothing to continue, then unfragmented Text Message, all sent in one chop.",
                "The connection is failed immediately, since there is no message to continue.", r -> {
                    r.expectOk(Event.message(octets("fragment1fragment2"), false)).expect(Verdict.NON_STRICT)
                            .expectClose(ExpectedClose.failedByServer(1002));
                    r.sendFrame(Op.TEXT, F1, false);
                    r.sendFrame(Op.CONTINUATION, F2, true);
                    r.sendFrame(Op.CONTINUATION, octets("fragment3"), false);
                    r.sendFrame(Op.TEXT, octets("fragment4"), true);
                    r.killAfter(1);
                }));
        c.add(repeated("5.16", "Repeated 2x: Continuation Frame with FIN = false (where there is nothing to continue), then text Message fragmented into 2 fragments.", false));
        c.add(repeated("5.17", "Repeated 2x: Continuation Frame with FIN = true (where there is nothing to continue), then text Message fragmented into 2 fragments.", true));
        c.add(new TestCase("5.18", "Send text Message fragmented into 2 fragments, with both frame opcodes set to text, sent in one chop.",
                "The connection is failed immediately, since all data frames after the initial data frame must have opcode 0.", r -> {
                    r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
                    r.sendFrame(Op.TEXT, F1, false);
                    r.sendFrame(Op.TEXT, F2, true);
                    r.killAfter(1);
                }));
        c.add(pingsDuring("5.19", "A fragmented text message is sent in multiple frames. After sending the first 2 frames of the text message, a Ping is sent. Then we wait 1s, then we send 2 more text fragments, another Ping and then the remaining fragment. Finally we wait 1s.", false));
        c.add(pingsDuring("5.20", "Same as Case 5.19, but send all frames with SYNC = True. Note, this does not change the octets sent in any way, only how the stream is chopped when sending.", true));
        return c;
    }

    private static TestCase fragmentedControl(String id, String desc, int opcode) {
        return new TestCase(id, desc, "Connection is failed immediately (1002/Protocol Error), since control frames are not allowed to be fragmented.", r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(opcode, F1, false);
            r.sendFrame(Op.CONTINUATION, F2, true);
            r.killAfter(1);
        });
    }

    private static TestCase twoFragments(String id, String desc, int chop, boolean sync) {
        return new TestCase(id, desc, "Message is processed and echo'ed back to us.", r -> {
            r.expectOk(Event.message(octets("fragment1fragment2"), false)).expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, F1, false, 0, chop, sync);
            r.sendFrame(Op.CONTINUATION, F2, true, 0, chop, sync);
            r.closeAfter(1);
        });
    }

    private static TestCase pingBetween(String id, String desc, int chop, boolean sync) {
        return new TestCase(id, desc, "A pong is received, then the message is echo'ed back to us.", r -> {
            byte[] ping = octets("ping payload");
            r.expectOk(Event.pong(ping), Event.message(octets("fragment1fragment2"), false)).expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, F1, false, 0, chop, sync);
            r.sendFrame(Op.PING, ping, true, 0, chop, sync);
            r.sendFrame(Op.CONTINUATION, F2, true, 0, chop, sync);
            r.closeAfter(1);
        });
    }

    /** {@code how}: 0 one chop, 1 per-frame chops, 2 octet-wise chops. */
    private static TestCase nothingToContinue(String id, String desc, boolean fin, int how) {
        return new TestCase(id, desc, FAIL, r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            byte[] frames = dev.gust.conformance.Payloads.concat(
                    dev.gust.conformance.FrameWriter.encode(Op.CONTINUATION, octets("non-continuation payload"), fin, 0),
                    dev.gust.conformance.FrameWriter.encode(Op.TEXT, octets("Hello, world!"), true, 0));
            switch (how) {
                case 0 -> r.sendData(frames, 0, false);
                case 1 -> {
                    r.sendFrame(Op.CONTINUATION, octets("non-continuation payload"), fin, 0, 0, true);
                    r.sendFrame(Op.TEXT, octets("Hello, world!"), true, 0, 0, true);
                }
                default -> r.sendData(frames, 1, false);
            }
            r.killAfter(1);
        });
    }

    private static TestCase repeated(String id, String desc, boolean fin) {
        return new TestCase(id, desc, FAIL, r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            for (int i = 0; i < 2; i++) {
                r.sendFrame(Op.CONTINUATION, octets("fragment1"), fin);
                r.sendFrame(Op.TEXT, octets("fragment2"), false);
                r.sendFrame(Op.CONTINUATION, octets("fragment3"), true);
            }
            r.killAfter(1);
        });
    }

    private static TestCase pingsDuring(String id, String desc, boolean sync) {
        return new TestCase(id, desc, "The ping is answered right after it arrived and the message is echo'ed back at the end.", r -> {
            String[] f = {"fragment1", "fragment2", "fragment3", "fragment4", "fragment5"};
            byte[] p1 = octets("pongme 1!"), p2 = octets("pongme 2!");
            r.expectOk(Event.pong(p1), Event.timeout("A"), Event.pong(p2),
                    Event.message(octets(String.join("", f)), false), Event.timeout("B")).expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, octets(f[0]), false, 0, 0, sync);
            r.sendFrame(Op.CONTINUATION, octets(f[1]), false, 0, 0, sync);
            r.sendFrame(Op.PING, p1, true, 0, 0, sync);
            if (!r.continueLater(1, "A")) return;
            r.sendFrame(Op.CONTINUATION, octets(f[2]), false, 0, 0, sync);
            r.sendFrame(Op.CONTINUATION, octets(f[3]), false, 0, 0, sync);
            r.sendFrame(Op.PING, p2, true, 0, 0, sync);
            r.sendFrame(Op.CONTINUATION, octets(f[4]), true, 0, 0, sync);
            if (!r.continueLater(1, "B")) return;
            r.closeAfter(1);
        });
    }
}

package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Group 3: Reserved Bits — any RSV bit without a negotiated extension fails the connection (1002). */
final class ReservedBits {
    private ReservedBits() {}

    private static final String FAIL = "The connection is failed immediately, since RSV must be 0.";
    private static final String ECHO_THEN_FAIL = "Echo for first message is received, but then connection is failed immediately, "
            + "since RSV must be 0, when no extension defining RSV meaning has been negotiated. The Pong is not received.";

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        byte[] hello = octets("Hello, world!");
        c.add(new TestCase("3.1", "Send small text message with RSV = 1.", FAIL, r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(Op.TEXT, hello, true, 1);
            r.killAfter(1);
        }));
        c.add(thenPing("3.2", "Send small text message, then send again with RSV = 2, then send Ping.", 2, 0, false));
        c.add(thenPing("3.3", "Send small text message, then send again with RSV = 3, then send Ping. Octets are send in frame-wise chops.", 3, 0, true));
        c.add(thenPing("3.4", "Send small text message, then send again with RSV = 4, then send Ping. Octets are send in octet-wise chops.", 4, 1, true));
        c.add(single("3.5", "Send small binary message with RSV = 5.", Op.BINARY, octets("\u0000\u00ff\u00fe\u00fd\u00fc\u00fb\u0000\u00ff"), 5));
        c.add(single("3.6", "Send Ping with RSV = 6.", Op.PING, hello, 6));
        c.add(new TestCase("3.7", "Send Close with RSV = 7.", FAIL, r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(Op.CLOSE, dev.gust.conformance.Connection.closePayload(1000, new byte[0]), true, 7);
            r.killAfter(1);
        }));
        return c;
    }

    private static TestCase single(String id, String desc, int opcode, byte[] payload, int rsv) {
        return new TestCase(id, desc, FAIL, r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(opcode, payload, true, rsv);
            r.killAfter(1);
        });
    }

    private static TestCase thenPing(String id, String desc, int rsv, int chop, boolean sync) {
        return new TestCase(id, desc, ECHO_THEN_FAIL, r -> {
            byte[] hello = octets("Hello, world!");
            r.expectOk(Event.message(hello, false)).expect(Verdict.NON_STRICT).expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(Op.TEXT, hello, true, 0, chop, sync);
            r.sendFrame(Op.TEXT, hello, true, rsv, chop, sync);
            r.sendFrame(Op.PING, new byte[0], true, 0, chop, sync);
            r.killAfter(1);
        });
    }
}

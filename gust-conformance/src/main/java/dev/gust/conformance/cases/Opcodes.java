package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Group 4: Opcodes — reserved non-control (3-7, 4.1.x) and control (11-15, 4.2.x) opcodes fail the connection. */
final class Opcodes {
    private Opcodes() {}

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        for (int g = 1; g <= 2; g++) {
            String kind = g == 1 ? "non-control" : "control";
            int base = g == 1 ? 3 : 11;
            for (int i = 0; i < 5; i++) {
                int opcode = base + i;
                String id = "4." + g + "." + (i + 1);
                switch (i) {
                    case 0 -> c.add(alone(id, "Send frame with reserved " + kind + " Opcode = " + opcode + ".", opcode, new byte[0]));
                    case 1 -> c.add(alone(id, "Send frame with reserved " + kind + " Opcode = " + opcode + " and non-empty payload.",
                            opcode, octets("reserved opcode payload")));
                    case 2 -> c.add(between(id, "Send small text message, then send frame with reserved " + kind + " Opcode = "
                            + opcode + ", then send Ping.", opcode, new byte[0]));
                    default -> c.add(between(id, "Send small text message, then send frame with reserved " + kind + " Opcode = "
                            + opcode + " and non-empty payload, then send Ping.", opcode, octets("reserved opcode payload")));
                }
            }
        }
        return c;
    }

    private static TestCase alone(String id, String desc, int opcode, byte[] payload) {
        return new TestCase(id, desc, "The connection is failed immediately.", r -> {
            r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(opcode, payload);
            r.killAfter(1);
        });
    }

    private static TestCase between(String id, String desc, int opcode, byte[] payload) {
        return new TestCase(id, desc, "Echo for first message is received, but then connection is failed immediately, since reserved "
                + "opcode frame is used. A Pong is not received.", r -> {
            byte[] hello = octets("Hello, world!");
            r.expectOk(Event.message(hello, false)).expect(Verdict.NON_STRICT).expectClose(ExpectedClose.failedByServer(1002));
            r.sendFrame(Op.TEXT, hello);
            r.sendFrame(opcode, payload);
            r.sendFrame(Op.PING, new byte[0]);
            r.killAfter(1);
        });
    }
}

package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;
import static dev.gust.conformance.Payloads.repeat;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import java.util.ArrayList;
import java.util.List;

/** Group 2: Pings/Pongs. */
final class PingPong {
    private PingPong() {}

    private static final String ECHO = "Receive Pong with payload echo'ed from the Ping. Clean close with normal code.";

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        c.add(ping("2.1", "Send ping without payload.", new byte[0], 0));
        c.add(ping("2.2", "Send ping with small text payload.", octets("Hello, world!"), 0));
        c.add(ping("2.3", "Send ping with small binary (non UTF-8) payload.", octets("\u0000\u00ff\u00fe\u00fd\u00fc\u00fb\u0000\u00ff"), 0));
        c.add(ping("2.4", "Send ping with binary payload of 125 octets.", repeat((char) 0xfe, 125), 0));
        c.add(new TestCase("2.5", "Send ping with binary payload of 126 octets.",
                "Connection is failed immediately (1002/Protocol Error), since control frames are only allowed to have payload up to and including 125 octets..", r -> {
                    r.expectOk().expectClose(ExpectedClose.failedByServer(1002));
                    r.sendFrame(Op.PING, repeat((char) 0xfe, 126));
                    r.killAfter(1);
                }));
        c.add(ping("2.6", "Send ping with binary payload of 125 octets, send in octet-wise chops.", repeat((char) 0xfe, 125), 1));
        c.add(unsolicited("2.7", "Send unsolicited pong without payload. Verify nothing is received. Clean close with normal code.", new byte[0]));
        c.add(unsolicited("2.8", "Send unsolicited pong with payload. Verify nothing is received. Clean close with normal code.",
                octets("unsolicited pong payload")));
        c.add(new TestCase("2.9", "Send unsolicited pong with payload. Send ping with payload. Verify pong for ping is received.",
                "Nothing in reply to own Pong, but Pong with payload echo'ed in reply to Ping. Clean close with normal code.", r -> {
                    r.expectOk(Event.pong(octets("ping payload"))).expectClose(ExpectedClose.normal());
                    r.sendFrame(Op.PONG, octets("unsolicited pong payload"));
                    r.sendFrame(Op.PING, octets("ping payload"));
                    r.closeAfter(1);
                }));
        c.add(tenPings("2.10", "Send 10 Pings with payload.", false));
        c.add(tenPings("2.11", "Send 10 Pings with payload. Send out octets in octet-wise chops.", true));
        return c;
    }

    private static TestCase ping(String id, String desc, byte[] payload, int chop) {
        return new TestCase(id, desc, ECHO, r -> {
            r.expectOk(Event.pong(payload)).expectClose(ExpectedClose.normal());
            r.sendFrame(Op.PING, payload, true, 0, chop, false);
            r.closeAfter(chop > 0 ? 2 : 1);
        });
    }

    private static TestCase unsolicited(String id, String desc, byte[] payload) {
        return new TestCase(id, desc, "Nothing. Clean close with normal code.", r -> {
            r.expectOk().expectClose(ExpectedClose.normal());
            r.sendFrame(Op.PONG, payload);
            r.closeAfter(1);
        });
    }

    private static TestCase tenPings(String id, String desc, boolean chopped) {
        return new TestCase(id, desc, "Pongs for our Pings with all the payloads. Note: This is not required by the Spec .. but we check for this behaviour anyway. Clean close with normal code.", r -> {
            Event[] pongs = new Event[10];
            for (int i = 0; i < 10; i++) pongs[i] = Event.pong(octets("payload-" + i));
            r.expectOk(pongs).expectClose(ExpectedClose.normal());
            for (int i = 0; i < 10; i++) r.sendFrame(Op.PING, octets("payload-" + i), true, 0, chopped ? 1 : 0, false);
            r.closeAfter(3);
        });
    }
}

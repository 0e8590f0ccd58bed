package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.concat;
import static dev.gust.conformance.Payloads.octets;
import static dev.gust.conformance.Payloads.repeat;

import dev.gust.conformance.Connection;
import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import java.util.ArrayList;
import java.util.List;

/** Group 7: Close handling — the closing handshake, close payloads and close codes. */
final class CloseHandling {
    private CloseHandling() {}

    private static final String CLEAN = "Clean close with normal code.";

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        c.add(new TestCase("7.1.1", "Send a message followed by a close frame", "Echoed message followed by clean close with normal code.", r -> {
            byte[] hello = octets("Hello World!");
            r.expectOk(Event.message(hello, false)).expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, hello);
            r.sendClose(1000, "");
            r.killAfter(1);
        }));
        c.add(new TestCase("7.1.2", "Send two close frames", "Clean close with normal code. Second close frame ignored.", r -> {
            r.expectOk().expectClose(ExpectedClose.normal());
            r.sendClose(1000, "");
            r.sendFrame(Op.CLOSE, Connection.closePayload(1000, new byte[0]));
            r.killAfter(1);
        }));
        c.add(new TestCase("7.1.3", "Send a ping after close message", "Clean close with normal code, no pong.", r -> {
            r.expectOk().expectClose(ExpectedClose.normal());
            r.sendClose(1000, "");
            r.sendFrame(Op.PING, new byte[0]);
            r.killAfter(1);
        }));
        c.add(new TestCase("7.1.4", "Send text message after sending a close frame", "Clean close with normal code. Text message ignored.", r -> {
            r.expectOk().expectClose(ExpectedClose.normal());
            r.sendClose(1000, "");
            r.sendFrame(Op.TEXT, octets("Hello World!"));
            r.killAfter(1);
        }));
        c.add(new TestCase("7.1.5", "Send message fragment1 followed by close then fragment", "Clean close with normal code.", r -> {
            r.expectOk().expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, octets("fragment1"), false);
            r.sendClose(1000, "");
            r.sendFrame(Op.CONTINUATION, octets("fragment2"), true);
            r.killAfter(1);
        }));
        c.add(new TestCase("7.1.6", "Send 256K message followed by close then a ping",
                "Case outcome depends on implementation defined close behavior. Message and close frame are sent back to back. "
                        + "If the close frame is processed before the text message write is complete (as can happen in asynchronous "
                        + "processing models) the close frame is processed first and the text message may not be received or may "
                        + "only be partially recieved.", r -> {
            r.informational().expectClose(ExpectedClose.normal());
            r.sendFrame(Op.TEXT, repeat(octets("BAsd7&jh23"), 256 * 1024));
            r.sendClose(1000, "");
            r.sendFrame(Op.PING, octets("Hello World!"));
            r.killAfter(1);
        }));
        c.add(closePayload("7.3.1", "Send a close frame with payload length 0 (no close code, no close reason)", CLEAN,
                new byte[0], ExpectedClose.normal()));
        c.add(closePayload("7.3.2", "Send a close frame with payload length 1", "Clean close with protocol error or drop TCP.",
                octets("a"), new ExpectedClose(true, List.of(1002), false, false)));
        c.add(closePayload("7.3.3", "Send a close frame with close code and no close reason", CLEAN,
                Connection.closePayload(1000, new byte[0]), ExpectedClose.normal()));
        c.add(closePayload("7.3.4", "Send a close frame with close code and close reason", CLEAN,
                Connection.closePayload(1000, octets("Hello World!")), ExpectedClose.normal()));
        c.add(closePayload("7.3.5", "Send a close frame with close code and close reason of maximum length (123)", CLEAN,
                Connection.closePayload(1000, repeat('*', 123)), ExpectedClose.normal()));
        c.add(closePayload("7.3.6", "Send a close frame with close code and close reason which is too long (124) - total frame payload 126 octets",
                "Clean close with protocol error code or dropped TCP connection.",
                Connection.closePayload(1000, repeat('*', 124)), new ExpectedClose(true, List.of(1002), false, false)));
        c.add(closePayload("7.5.1", "Send a close frame with invalid UTF8 payload", "Clean close with protocol error or invalid utf8 code or dropped TCP.",
                Connection.closePayload(1000, concat(Utf8Sequences.KOSME, octets("\u00ed\u00a0\u0080edited"))),
                new ExpectedClose(true, List.of(1002, 1007), false, false)));
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            c.add(closePayload("7.7." + (i + 1), "Send close with valid close code " + code,
                    "Clean close with normal or echoed code", Connection.closePayload(code, new byte[0]),
                    new ExpectedClose(true, code == 1000 ? List.of(1000) : List.of(1000, code), true, false)));
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            c.add(closePayload("7.9." + (i + 1), "Send close with invalid close code " + invalid[i],
                    "Clean close with protocol error code or drop TCP", Connection.closePayload(invalid[i], new byte[0]),
                    new ExpectedClose(true, List.of(1002), false, false)));
        }
        int[] undefined = {5000, 65535};
        for (int i = 0; i < undefined.length; i++) {
            int code = undefined[i];
            c.add(new TestCase("7.13." + (i + 1), "Send close with close code " + code, "Actual events are undefined by the spec.", r -> {
                r.informational().expectClose(new ExpectedClose(true, List.of(1000, 1002), false, false));
                r.sendClosePayload(Connection.closePayload(code, new byte[0]));
                r.killAfter(1);
            }));
        }
        return c;
    }

    private static TestCase closePayload(String id, String desc, String expectation, byte[] payload, ExpectedClose close) {
        return new TestCase(id, desc, expectation, r -> {
            r.expectOk().expectClose(close);
            r.sendClosePayload(payload);
            r.killAfter(1);
        });
    }
}

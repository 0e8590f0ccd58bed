package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;
import static dev.gust.conformance.Payloads.repeat;

import dev.gust.conformance.CaseRun;
import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.FrameWriter;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group 9: Limits/Performance, with Autobahn's sizes: single messages up to 16 MiB (9.1, 9.2), a 4 MiB message in
 * fragments of 64 octets up to 4 MiB (9.3, 9.4), a 1 MiB message in TCP chops of 64 to 2048 octets (9.5, 9.6), and
 * 1000 round trips of small messages (9.7, 9.8). Each case judges itself and reports the time taken.
 */
final class Limits {
    private Limits() {}

    private static final byte[] TEXT_UNIT = octets("BAsd7&jh23");
    private static final byte[] BINARY_UNIT = octets("\u00fe\u0023\u00a0\u00ff");

    static List<TestCase> cases() {
        List<TestCase> c = new ArrayList<>();
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        int[] waits = {10, 10, 10, 20, 40, 80};
        for (int b = 0; b < 2; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < sizes.length; i++) {
                int size = sizes[i], wait = waits[i];
                c.add(new TestCase("9." + (1 + b) + "." + (i + 1), "Send " + kind(binary) + " message message with payload of length "
                        + human(size) + ".", "Receive echo'ed " + kind(binary) + " message (with payload as sent).",
                        r -> echoOne(r, repeat(binary ? BINARY_UNIT : TEXT_UNIT, size), binary, 0, 0, wait)));
            }
        }
        int[] fragmentSizes = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        for (int b = 0; b < 2; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < fragmentSizes.length; i++) {
                int frag = fragmentSizes[i];
                c.add(new TestCase("9." + (3 + b) + "." + (i + 1), "Send fragmented " + kind(binary)
                        + " message message with message payload of length 4 * 2**20 (4M). Sent out in fragments of " + frag + ".",
                        "Receive echo'ed " + kind(binary) + " message (with payload as sent).",
                        r -> echoOne(r, repeat(binary ? BINARY_UNIT : TEXT_UNIT, 4 << 20), binary, frag, 0, 100)));
            }
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int b = 0; b < 2; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < chops.length; i++) {
                int chop = chops[i];
                c.add(new TestCase("9." + (5 + b) + "." + (i + 1), "Send " + kind(binary)
                        + " message message with payload of length 1 * 2**20 (1M). Sent out data in chops of " + chop + " octets.",
                        "Receive echo'ed " + kind(binary) + " message (with payload as sent).",
                        r -> echoOne(r, repeat(binary ? BINARY_UNIT : TEXT_UNIT, 1 << 20), binary, 0, chop, 100)));
            }
        }
        int[] lengths = {0, 16, 64, 256, 1024, 4096};
        for (int b = 0; b < 2; b++) {
            boolean binary = b == 1;
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                c.add(new TestCase("9." + (7 + b) + "." + (i + 1), "Send 1000 " + kind(binary) + " messages of payload size "
                        + len + " to measure implementation/network RTT (round trip time) / latency.",
                        "Receive echo'ed " + kind(binary) + " messages (with payloads as sent). Timeout case after 60 secs.",
                        r -> roundTrips(r, binary, len, 1000, 60)));
            }
        }
        return c;
    }

    /** Why no echo came: the server closed the connection (with this code and reason) before sending it. */
    static String closedEarly(CaseRun r) {
        var c = r.connection();
        return "The connection was closed before the echo arrived"
                + (c.remoteCloseCode() == null ? " (no close frame from the server)"
                        : " (server close code " + c.remoteCloseCode() + ", reason '" + c.remoteCloseReason() + "')") + ".";
    }

    private static String kind(boolean binary) { return binary ? "binary" : "text"; }

    private static String human(int size) {
        return size >= (1 << 20) ? (size >> 20) + "M" : (size >> 10) + "k";
    }

    /** Sends one message (in {@code fragment}-sized frames and {@code chop}-sized writes) and waits for its echo. */
    static void echoOne(CaseRun r, byte[] payload, boolean binary, int fragment, int chop, int waitSecs) throws Exception {
        r.expectClose(ExpectedClose.normal());
        r.verdict(Verdict.FAILED, "Did not receive message within " + waitSecs + " seconds.");
        long start = System.nanoTime();
        int opcode = binary ? Op.BINARY : Op.TEXT;
        if (fragment > 0 && fragment < payload.length) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(payload.length + payload.length / fragment * 8 + 16);
            for (int at = 0; at < payload.length; at += fragment) {
                int n = Math.min(fragment, payload.length - at);
                all.writeBytes(FrameWriter.encode(at == 0 ? opcode : Op.CONTINUATION, Arrays.copyOfRange(payload, at, at + n),
                        at + n >= payload.length, 0));
            }
            r.sendData(all.toByteArray(), chop, false);
        } else {
            r.sendFrame(opcode, payload, true, 0, chop, false);
        }
        Event e = r.next(waitSecs);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (e != null) judgeEcho(r, e, payload, binary, ms);
        else if (r.connection().isClosed()) r.verdict(Verdict.FAILED, closedEarly(r));
        r.closeAfter(0);
    }

    private static boolean judgeEcho(CaseRun r, Event e, byte[] payload, boolean binary, long ms) {
        if (e.kind() != Event.Kind.MESSAGE) {
            r.verdict(Verdict.FAILED, "Expected a message, but got " + e + ".");
        } else if (e.binary() != binary) {
            r.verdict(Verdict.FAILED, "Expected " + kind(binary) + " message with payload, but got " + kind(e.binary()) + ".");
        } else if (e.payload().length != payload.length) {
            r.verdict(Verdict.FAILED, "Expected " + kind(binary) + " message with payload of length " + payload.length
                    + ", but got " + e.payload().length + ".");
        } else if (!Arrays.equals(e.payload(), payload)) {
            r.verdict(Verdict.FAILED, "Echo'ed payload differs from what was sent.");
        } else {
            r.verdict(Verdict.OK, "Received " + kind(binary) + " message of length " + payload.length + " in " + ms + " ms.");
            return true;
        }
        return false;
    }

    /** Sends {@code count} messages one at a time, each after the previous echo arrived. */
    static void roundTrips(CaseRun r, boolean binary, int len, int count, int waitSecs) throws Exception {
        r.expectClose(ExpectedClose.normal());
        r.verdict(Verdict.FAILED, "Case did not finish within " + waitSecs + " seconds.");
        byte[] payload = repeat(binary ? octets("\u00fe") : octets("*"), len);
        long start = System.nanoTime(), deadline = start + waitSecs * 1_000_000_000L;
        for (int i = 0; i < count; i++) {
            r.sendFrame(binary ? Op.BINARY : Op.TEXT, payload);
            Event e = r.next(Math.max(0.001, (deadline - System.nanoTime()) / 1e9));
            if (e == null) {
                if (r.connection().isClosed()) r.verdict(Verdict.FAILED, closedEarly(r) + " (after " + i + " echoes)");
                break;
            }
            if (e.kind() != Event.Kind.MESSAGE || e.binary() != binary || !Arrays.equals(e.payload(), payload)) {
                r.verdict(Verdict.FAILED, "Echo'ed message type or payload differs from what I sent (got " + e + ").");
                break;
            }
            if (i == count - 1) {
                r.verdict(Verdict.OK, "Ok, received all echo'ed messages in time: " + count + " round trips in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms.");
            }
        }
        r.closeAfter(0);
    }
}

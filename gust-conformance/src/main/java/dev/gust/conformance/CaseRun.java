package dev.gust.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a case's procedure works with: Autobahn's {@code self.expected}, {@code self.expectedClose},
 * {@code self.behavior}/{@code self.result} for cases that judge themselves, and the protocol actions
 * {@code sendFrame}, {@code sendMessage}, {@code continueLater}, {@code closeAfter} and {@code killAfter}.
 */
public final class CaseRun {
    /** With quick settling, {@link #closeAfter} closes once the events match an expectation and nothing arrived for this long. */
    public static final long SETTLE_MS = 200;

    private final Connection c;
    private final boolean fullTimeouts;
    final Map<Verdict, List<List<Event>>> expected = new EnumMap<>(Verdict.class);
    ExpectedClose expectedClose = ExpectedClose.normal();
    Verdict behavior;         // set by cases that judge themselves (groups 9, 10, 12, 13)
    String result;
    boolean alwaysInformational;

    CaseRun(Connection c, boolean fullTimeouts) {
        this.c = c;
        this.fullTimeouts = fullTimeouts;
    }

    public Connection connection() { return c; }

    // ------------------------------------------------------------ expectations

    public CaseRun expect(Verdict v, Event... events) {
        expected.computeIfAbsent(v, k -> new ArrayList<>()).add(List.of(events));
        return this;
    }

    public CaseRun expectOk(Event... events) { return expect(Verdict.OK, events); }

    public CaseRun expectClose(ExpectedClose close) {
        this.expectedClose = close;
        return this;
    }

    /** For cases whose outcome the spec leaves open (7.1.6, 7.13.x): any events are INFORMATIONAL. */
    public CaseRun informational() {
        alwaysInformational = true;
        return this;
    }

    /** For cases that judge themselves: the current verdict and why. */
    public void verdict(Verdict v, String why) {
        c.keepEvents(false);
        behavior = v;
        result = why;
    }

    // ------------------------------------------------------------ actions

    public void sendFrame(int opcode, byte[] payload) { c.sendFrame(opcode, payload, true, 0, 0, false); }
    public void sendFrame(int opcode, byte[] payload, boolean fin) { c.sendFrame(opcode, payload, fin, 0, 0, false); }
    public void sendFrame(int opcode, byte[] payload, boolean fin, int rsv) { c.sendFrame(opcode, payload, fin, rsv, 0, false); }
    /** {@code chop}: split the frame's octets into writes of this size; {@code sync}: a write (and pause) per frame. */
    public void sendFrame(int opcode, byte[] payload, boolean fin, int rsv, int chop, boolean sync) {
        c.sendFrame(opcode, payload, fin, rsv, chop, sync);
    }
    public void sendData(byte[] octets, int chop, boolean sync) { c.sendData(octets, chop, sync); }
    public void sendMessage(byte[] payload, boolean binary, int fragmentSize) { c.sendMessage(payload, binary, fragmentSize); }
    public void sendClose(int code, String reason) { c.sendClose(code, reason); }
    public void sendClosePayload(byte[] payload) { c.sendClosePayload(payload); }

    /**
     * Autobahn's {@code continueLater(delay, fun, tag)}: waits, then records the tag if the connection is still open.
     * Returns false if the connection closed (the rest of the procedure is then skipped, as Autobahn's callback is).
     */
    public boolean continueLater(double seconds, String tag) {
        c.await(c::isClosed, System.nanoTime() + (long) (seconds * 1e9));
        return c.recordTimeout(tag);
    }

    /** Autobahn's {@code killAfter}: the server should close; if it has not after this long, the client drops TCP. */
    public void killAfter(double seconds) {
        if (!c.await(c::isClosed, System.nanoTime() + (long) (seconds * 1e9))) c.drop();
    }

    /**
     * Autobahn's {@code closeAfter}: after this long the client starts a normal close (1000). Unless full timeouts
     * were asked for, it closes earlier once what arrived matches an expectation and has been quiet for {@link #SETTLE_MS}.
     */
    public void closeAfter(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        if (fullTimeouts || expected.isEmpty()) {
            c.await(c::isClosed, deadline);
        } else {
            while (!c.await(() -> c.isClosed() || matchesAnExpectation(), deadline)) {
                if (System.nanoTime() >= deadline) break;
            }
            while (!c.isClosed() && System.nanoTime() < deadline) {
                long quietUntil = c.lastEventNanos() + SETTLE_MS * 1_000_000;
                if (System.nanoTime() >= quietUntil && matchesAnExpectation()) break;
                c.await(c::isClosed, Math.min(deadline, quietUntil));
                if (!matchesAnExpectation()) c.await(() -> c.isClosed() || matchesAnExpectation(), deadline);
            }
        }
        if (!c.isClosed()) c.sendClose(1000, "");
    }

    private boolean matchesAnExpectation() {
        List<Event> got = c.events();
        for (List<List<Event>> lists : expected.values()) for (List<Event> l : lists) if (l.equals(got)) return true;
        return false;
    }

    /** Next message or pong from the server; null if none came within the timeout or the connection closed. */
    public Event next(double seconds) throws InterruptedException { return c.nextEvent((long) (seconds * 1000)); }
}

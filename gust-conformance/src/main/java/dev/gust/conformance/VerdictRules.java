package dev.gust.conformance;

import java.util.List;
import java.util.Map;

/**
 * Autobahn's rules (Case.onConnectionLost), applied once the connection is gone:
 * <ol>
 *   <li>behavior: the first of OK, NON-STRICT, INFORMATIONAL whose expected event list equals the received events,
 *       else FAILED (cases that judge themselves set it directly);</li>
 *   <li>behaviorClose: FAILED if the wrong endpoint started the closing handshake; UNCLEAN if a clean close was
 *       required and the TCP close was not clean; WRONG_CODE if the server sent a close code not in the expected
 *       list (no code is fine); FAILED if the client had to drop the TCP connection; else OK;</li>
 *   <li>for the UTF-8 cases, a close by the wrong endpoint fails the case (the server never noticed).</li>
 * </ol>
 * The single verdict is behavior, except that a close that is not OK makes it FAILED — Autobahn shows such a
 * case red in its report. UNIMPLEMENTED (permessage-deflate declined) stands as is.
 */
public final class VerdictRules {
    private VerdictRules() {}

    record Judgement(Verdict verdict, Verdict behavior, CloseBehavior close, String result, String resultClose) {}

    static Judgement judge(Map<Verdict, List<List<Event>>> expected, Verdict selfJudged, String selfResult,
                           boolean informational, ExpectedClose ec, List<Event> events, Connection c) {
        Verdict behavior = selfJudged;
        String result = selfResult;
        if (behavior == null) {
            behavior = Verdict.FAILED;
            result = "Actual events differ from any expected.";
            for (Verdict v : List.of(Verdict.OK, Verdict.NON_STRICT, Verdict.INFORMATIONAL)) {
                List<List<Event>> lists = expected.get(v);
                if (lists != null && lists.contains(events)) {
                    behavior = v;
                    result = "Actual events match at least one expected.";
                    break;
                }
            }
            if (informational) {
                behavior = Verdict.INFORMATIONAL;
                result = "The spec leaves the outcome open; events are recorded for information.";
            }
        }
        if (behavior == Verdict.UNIMPLEMENTED) {
            return new Judgement(Verdict.UNIMPLEMENTED, behavior, CloseBehavior.OK, result, "");
        }
        CloseBehavior close;
        String resultClose;
        Integer code = c.remoteCloseCode();
        if (ec.closedByMe() != c.closedByMe()) {
            close = CloseBehavior.FAILED;
            resultClose = "The connection was failed by the wrong endpoint";
        } else if (ec.requireClean() && !c.wasClean()) {
            close = CloseBehavior.UNCLEAN;
            resultClose = "The spec requires the connection to be failed cleanly here (" + c.notCleanReason() + ")";
        } else if (code != null && !ec.closeCodes().contains(code)) {
            close = CloseBehavior.WRONG_CODE;
            resultClose = "The close code should have been " + join(ec.closeCodes()) + " or empty, but was " + code;
        } else if (c.droppedByMe()) {
            close = CloseBehavior.FAILED;
            resultClose = "The connection was failed by the wrong endpoint (" + c.notCleanReason() + ")";
        } else {
            close = CloseBehavior.OK;
            resultClose = "Connection was properly closed";
        }
        if (ec.closedByWrongEndpointIsFatal() && close == CloseBehavior.FAILED) {
            behavior = Verdict.FAILED;
            result = "The server did not fail the connection itself" + (c.failReason() == null ? "" : " (the client did: " + c.failReason() + ")");
        }
        Verdict verdict = close.isOk() ? behavior : Verdict.FAILED;
        return new Judgement(verdict, behavior, close, result, resultClose);
    }

    private static String join(List<Integer> codes) {
        return String.join(",", codes.stream().map(String::valueOf).toList());
    }
}

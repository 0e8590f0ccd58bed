package dev.gust.conformance;

import java.util.List;

/** The outcome of one case, with everything Autobahn's report shows for it. */
public record CaseResult(String id, String description, String expectation, Verdict verdict, Verdict behavior,
                         CloseBehavior behaviorClose, String result, String resultClose, List<String> events,
                         Integer remoteCloseCode, boolean closedByMe, boolean droppedByMe, boolean wasClean,
                         String notCleanReason, String extensions, long durationMs) {

    public String group() { return id.substring(0, id.indexOf('.')); }
}

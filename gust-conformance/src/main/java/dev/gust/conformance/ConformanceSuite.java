package dev.gust.conformance;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs cases one after another against a server, as Autobahn's fuzzing client does, and judges each. */
public final class ConformanceSuite {
    private final URI uri;
    private final boolean fullTimeouts;
    private Consumer<CaseResult> listener = r -> { };

    public ConformanceSuite(URI uri, boolean fullTimeouts) {
        if (!"ws".equals(uri.getScheme())) throw new IllegalArgumentException("only ws:// URLs are supported: " + uri);
        this.uri = uri;
        this.fullTimeouts = fullTimeouts;
    }

    /** Called after every case (for progress output). */
    public ConformanceSuite onResult(Consumer<CaseResult> listener) {
        this.listener = listener;
        return this;
    }

    public List<CaseResult> run(List<TestCase> cases) {
        List<CaseResult> results = new ArrayList<>();
        for (TestCase tc : cases) {
            CaseResult r = runCase(tc);
            results.add(r);
            listener.accept(r);
        }
        return results;
    }

    public CaseResult runCase(TestCase tc) {
        long start = System.nanoTime();
        PerMessageDeflate.Offers offer = tc.setup().deflateOffer();
        Connection c;
        try {
            c = Connection.open(uri, "?case=" + tc.id(), offer);
        } catch (Exception e) {
            return new CaseResult(tc.id(), tc.description(), tc.expectation(), Verdict.FAILED, Verdict.FAILED,
                    CloseBehavior.FAILED, "Could not connect: " + e.getMessage(), "", List.of(), null, false, false,
                    false, null, null, ms(start));
        }
        CaseRun run = new CaseRun(c, fullTimeouts);
        String error = null;
        if (offer != null && c.deflate() == null) {
            run.verdict(Verdict.UNIMPLEMENTED, "The server declined the permessage-deflate offer: " + offer.header());
            c.sendClose(1000, "");
        } else {
            Thread body = Thread.ofVirtual().name("case-" + tc.id()).start(() -> {
                try {
                    tc.body().run(run);
                } catch (Exception e) {
                    run.verdict(Verdict.FAILED, "Case procedure error: " + e);
                }
            });
            try {
                if (!body.join(java.time.Duration.ofSeconds(180))) {
                    error = "case did not finish within 180 s";
                    c.drop();
                    body.join(java.time.Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.drop();
            }
        }
        // the closing handshake and the server's TCP drop each have a 1 s timeout; allow both, then give up
        if (!c.await(c::isClosed, System.nanoTime() + 5_000_000_000L)) c.drop();
        VerdictRules.Judgement j = VerdictRules.judge(run.expected, run.behavior, run.result, run.alwaysInformational,
                run.expectedClose, c.events(), c);
        String result = error == null ? j.result() : error + "; " + j.result();
        return new CaseResult(tc.id(), tc.description(), tc.expectation(), error == null ? j.verdict() : Verdict.FAILED,
                j.behavior(), j.close(), result, j.resultClose(), summary(c.events()), c.remoteCloseCode(), c.closedByMe(),
                c.droppedByMe(), c.wasClean(), c.notCleanReason(), c.extensionsHeader(), ms(start));
    }

    private static List<String> summary(List<Event> events) {
        List<String> s = new ArrayList<>();
        for (Event e : events.subList(0, Math.min(events.size(), 40))) s.add(e.toString());
        if (events.size() > 40) s.add("... " + (events.size() - 40) + " more");
        return s;
    }

    private static long ms(long start) { return (System.nanoTime() - start) / 1_000_000; }
}

package dev.gust.conformance.cases;

import dev.gust.conformance.CaseRun;
import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.PerMessageDeflate;
import dev.gust.conformance.PerMessageDeflate.Offer;
import dev.gust.conformance.PerMessageDeflate.Offers;
import dev.gust.conformance.TestCase;
import dev.gust.conformance.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Groups 12 (permessage-deflate, different payloads) and 13 (permessage-deflate, different offer parameters).
 * Each case sends compressed messages one at a time and checks every echo. A server that declines the offer gets
 * UNIMPLEMENTED, as in Autobahn. The 18 variants per sub-group are (messages, payload size, auto-fragment size) from
 * {@link #VARIANTS}.
 */
final class Compression {
    private Compression() {}

    /** (message count, payload size, auto-fragment size) for X.Y.1 .. X.Y.18. */
    static final int[][] VARIANTS = {
        {1000, 16, 0}, {1000, 64, 0}, {1000, 256, 0}, {1000, 1024, 0}, {1000, 4096, 0},
        {100, 8192, 0}, {100, 16384, 0}, {100, 32768, 0}, {100, 65536, 0}, {100, 131072, 0},
        {50, 256, 256}, {50, 1024, 256}, {50, 4096, 256}, {50, 8192, 256}, {50, 16384, 256}, {50, 32768, 256},
        {50, 65536, 256}, {50, 131072, 256},
    };

    private record Payload(String title, boolean binary, Supplier<byte[]> data) {}

    static List<TestCase> group12() {
        List<Payload> payloads = List.of(
                new Payload("Large JSON data file (utf8)", false, Corpora::json),
                new Payload("Bitmap 512x512 bw picture (binary)", true, Corpora::bitmap),
                new Payload("Human readable text, Goethe's Faust I (German) (utf8)", false, Corpora::text),
                new Payload("Large HTML file (utf8)", false, Corpora::html),
                new Payload("A larger PDF (binary)", true, Corpora::pdf));
        List<TestCase> c = new ArrayList<>();
        for (int x = 0; x < payloads.size(); x++) {
            Payload p = payloads.get(x);
            add(c, "12." + (x + 1), p, Offers.of(Offer.DEFAULT), "Use default permessage-deflate offer.");
        }
        return c;
    }

    static List<TestCase> group13() {
        List<Offers> offers = List.of(
                Offers.of(new Offer(false, 0)), Offers.of(new Offer(true, 0)), Offers.of(new Offer(false, 9)),
                Offers.of(new Offer(false, 15)), Offers.of(new Offer(true, 9)), Offers.of(new Offer(true, 15)),
                Offers.of(new Offer(true, 9), new Offer(true, 0), new Offer(false, 0)));
        Payload p = new Payload("text", false, Corpora::json);
        List<TestCase> c = new ArrayList<>();
        for (int x = 0; x < offers.size(); x++) {
            Offers o = offers.get(x);
            String params = String.join(", ", o.offers().stream()
                    .map(f -> "(" + (f.requestServerNoContextTakeover() ? "True" : "False") + ", " + f.requestServerMaxWindowBits() + ")").toList());
            add(c, "13." + (x + 1), p, o, "Use permessage-deflate client offers (requestNoContextTakeover, requestMaxWindowBits): [" + params + "]");
        }
        return c;
    }

    private static void add(List<TestCase> c, String prefix, Payload p, Offers offers, String offerText) {
        for (int y = 0; y < VARIANTS.length; y++) {
            int count = VARIANTS[y][0], size = VARIANTS[y][1], frag = VARIANTS[y][2];
            String kind = p.binary ? "binary" : "text";
            c.add(new TestCase(prefix + "." + (y + 1), "Send " + count + " compressed " + kind + " messages each of payload size "
                    + size + ", auto-fragment to " + frag + " octets. " + offerText + " Payload: " + p.title + ".",
                    "Receive echo'ed messages (with payload as sent). Timeout case after 10 secs.",
                    r -> roundTrips(r, p.data.get(), p.binary, count, size, frag, 10), new TestCase.Setup(offers)));
        }
    }

    private static void roundTrips(CaseRun r, byte[] corpus, boolean binary, int count, int size, int frag, int waitSecs)
            throws Exception {
        r.expectClose(ExpectedClose.normal());
        r.verdict(Verdict.FAILED, "Case did not finish within " + waitSecs + " seconds.");
        long start = System.nanoTime(), deadline = start + waitSecs * 1_000_000_000L;
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (at + size > corpus.length) at = 0;
            byte[] payload = Arrays.copyOfRange(corpus, at, at + size);
            at += size;
            r.sendMessage(payload, binary, frag);
            Event e = r.next(Math.max(0.001, (deadline - System.nanoTime()) / 1e9));
            if (e == null) {
                if (r.connection().isClosed()) r.verdict(Verdict.FAILED, Limits.closedEarly(r) + " (after " + i + " echoes)");
                break;
            }
            if (e.kind() != Event.Kind.MESSAGE || e.binary() != binary || !Arrays.equals(e.payload(), payload)) {
                r.verdict(Verdict.FAILED, "Echo'ed message " + (i + 1) + " differs from what I sent (got " + e + ").");
                break;
            }
            if (i == count - 1) {
                PerMessageDeflate d = r.connection().deflate();
                r.verdict(Verdict.OK, "Ok, received all " + count + " echo'ed messages in " + (System.nanoTime() - start) / 1_000_000
                        + " ms; negotiated " + d + ".");
            }
        }
        r.closeAfter(0);
    }
}

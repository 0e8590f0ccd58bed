package dev.gust.http.parse;

import static dev.gust.http.parse.LoopSimulation.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.HttpLimits;
import org.junit.jupiter.api.Test;

/** Chunked bodies that must be accepted, and the limits around chunk sizes. */
class ChunkedBodyTest {
    private static final String HEAD = "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static LoopSimulation.Outcome parse(String body, HttpLimits limits) {
        byte[] data = bytes(HEAD + body);
        var whole = LoopSimulation.run(data, new int[0], false, limits);
        // The same bytes split anywhere must decode the same.
        for (int cut = 1; cut < data.length; cut++) {
            var split = LoopSimulation.run(data, new int[] {cut}, false, limits);
            assertEquals(whole, new LoopSimulation.Outcome(split.requests(), split.errorStatus(), whole.headBytesCopied(), split.closed()),
                    "split at " + cut);
        }
        return whole;
    }

    private static String bodyOf(LoopSimulation.Outcome outcome) {
        assertEquals(0, outcome.errorStatus());
        assertEquals(1, outcome.requests().size());
        String request = outcome.requests().get(0);
        return request.substring(request.indexOf(" body=") + 6);
    }

    @Test
    void decodesUpperAndLowerHexWithLeadingZeros() {
        assertEquals("0123456789abcdefghijk",
                bodyOf(parse("000A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n", HttpLimits.DEFAULT)));
    }

    @Test
    void acceptsAndIgnoresWellFormedExtensions() {
        String body = "3;a\r\nabc\r\n"
                + "3 ; a = b ; c\r\nabc\r\n"
                + "3;q=\"x;y=\\\"z\\\"\"\r\nabc\r\n"
                + "3;tab\t;x=\"\t\"\r\nabc\r\n"
                + "0;last=1\r\n\r\n";
        assertEquals("abcabcabcabc", bodyOf(parse(body, HttpLimits.DEFAULT)));
    }

    @Test
    void acceptsAndDiscardsTrailers() {
        String body = "4\r\ndata\r\n0\r\nX-Sum: 1234\r\nX-Empty:\r\nX-Obs: caf\u00e9\r\n\r\n";
        var outcome = parse(body, HttpLimits.DEFAULT);
        assertEquals("data", bodyOf(outcome));
        assertTrue(outcome.requests().get(0).contains("X-Sum") == false, "trailers are not headers");
    }

    @Test
    void emptyChunkedBodyEndsAtTheLastChunk() {
        assertEquals("", bodyOf(parse("0\r\n\r\n", HttpLimits.DEFAULT)));
    }

    @Test
    void bodyExactlyAtTheLimitIsAcceptedOneMoreIs413() {
        HttpLimits limits = HttpLimits.DEFAULT.withMaxBodySize(8);
        assertEquals("abcdefgh", bodyOf(parse("5\r\nabcde\r\n3\r\nfgh\r\n0\r\n\r\n", limits)));
        assertEquals(413, parse("5\r\nabcde\r\n4\r\nfghi\r\n0\r\n\r\n", limits).errorStatus());
    }

    @Test
    void largestRepresentableSizeIsOverTheLimitButNotAnOverflow() {
        HttpLimits limits = HttpLimits.DEFAULT.withMaxBodySize(Long.MAX_VALUE);
        assertEquals(400, parse("8000000000000000\r\n", limits).errorStatus(), "2^63 overflows");
        assertEquals(400, parse("10000000000000000\r\n", limits).errorStatus(), "17 digits overflow");
        assertEquals(413, parse("7fffffffffffffff\r\n", HttpLimits.DEFAULT).errorStatus());
    }

    @Test
    void contentLengthBodyExactlyAtTheLimitIsAccepted() {
        HttpLimits limits = HttpLimits.DEFAULT.withMaxBodySize(5);
        byte[] ok = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(0, LoopSimulation.run(ok, new int[0], false, limits).errorStatus());
        byte[] over = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nhello!");
        assertEquals(413, LoopSimulation.run(over, new int[0], false, limits).errorStatus());
    }

    @Test
    void identicalContentLengthsAreOneLength() {
        byte[] data = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc");
        var outcome = LoopSimulation.runWhole(data, false);
        assertEquals(0, outcome.errorStatus());
        assertTrue(outcome.requests().get(0).endsWith("body=abc"));
    }
}

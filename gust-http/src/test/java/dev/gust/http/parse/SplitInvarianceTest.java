package dev.gust.http.parse;

import static dev.gust.http.parse.LoopSimulation.bytes;
import static dev.gust.http.parse.LoopSimulation.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.HttpLimits;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * However a valid byte stream is cut into reads, the parser must produce the same requests, and
 * copy each head at most once. Reads go through one shared buffer that is poisoned after each one.
 */
class SplitInvarianceTest {

    static Stream<String> streams() {
        return Stream.of(
                crlf("GET /index.html?lang=en&q=a+b HTTP/1.1\nHost: www.example.com\nUser-Agent: curl/8.5\n"
                        + "Accept: */*\nAccept-Encoding: gzip, br\nCookie: a=1; b=2\nX-Request-Id: 7f9c\n\n"),
                crlf("POST /upload HTTP/1.1\nHost: a\nContent-Length: 11\n\nhello world"
                        + "GET /next HTTP/1.1\nHost: a\n\n"),
                crlf("POST /c HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n"
                        + "5;name=value;flag;q=\"quoted \\\" ; str\"\nhello\n"
                        + "A\n0123456789\n"
                        + "0\nX-Checksum: abc\nX-Other:\n\n"
                        + "DELETE /x HTTP/1.0\nConnection: keep-alive\n\n"),
                crlf("\nGET / HTTP/1.1\nHost: a\nExpect: 100-continue\nContent-Length: 3\n\nabc"
                        + "GET /ws HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n\n"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everyTwoWaySplitGivesTheSameRequests(String stream) {
        byte[] data = bytes(stream);
        var whole = LoopSimulation.runWhole(data, false);
        assertEquals(0, whole.errorStatus());
        assertTrue(!whole.requests().isEmpty());
        assertEquals(whole.requests(), LoopSimulation.runWhole(data, true).requests(), "direct buffer");
        int maxCopies = totalHeadBytes(stream);
        for (int cut = 1; cut < data.length; cut++) {
            for (boolean direct : new boolean[] {false, true}) {
                var split = LoopSimulation.run(data, new int[] {cut}, direct, HttpLimits.DEFAULT);
                assertEquals(whole.requests(), split.requests(), "split at " + cut + (direct ? " (direct)" : ""));
                assertEquals(0, split.errorStatus());
                assertTrue(split.headBytesCopied() <= maxCopies,
                        "copied " + split.headBytesCopied() + " > heads " + maxCopies + " at " + cut);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everyThreeWaySplitGivesTheSameRequests(String stream) {
        byte[] data = bytes(stream);
        var whole = LoopSimulation.runWhole(data, false);
        int maxCopies = totalHeadBytes(stream);
        for (int a = 1; a < data.length; a++) {
            for (int b = a + 1; b < data.length; b++) {
                var split = LoopSimulation.run(data, new int[] {a, b}, false, HttpLimits.DEFAULT);
                assertEquals(whole.requests(), split.requests(), "split at " + a + "," + b);
                assertTrue(split.headBytesCopied() <= maxCopies);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void byteByByteGivesTheSameRequests(String stream) {
        byte[] data = bytes(stream);
        var whole = LoopSimulation.runWhole(data, false);
        var bytewise = LoopSimulation.runBytewise(data, true);
        assertEquals(whole.requests(), bytewise.requests());
        assertEquals(totalHeadBytes(stream), bytewise.headBytesCopied(), "each head copied exactly once");
    }

    @org.junit.jupiter.api.Test
    void aHeadCompleteInOneReadIsNeverCopied() {
        byte[] data = bytes(crlf("GET / HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n"));
        assertEquals(0, LoopSimulation.runWhole(data, false).headBytesCopied());
        int firstEnd = data.length / 2;
        assertEquals(0, LoopSimulation.run(data, new int[] {firstEnd}, false, HttpLimits.DEFAULT).headBytesCopied());
    }

    /** Sum of the head lengths in a stream: the most the parser may ever copy. */
    private static int totalHeadBytes(String stream) {
        var parser = new HttpRequestParser();
        int[] total = {0};
        parser.feed(java.nio.ByteBuffer.wrap(bytes(stream)), head -> {
            total[0] += head.headLength();
            return true;
        });
        return total[0];
    }
}

package dev.gust.http.parse;

import static dev.gust.http.parse.LoopSimulation.bytes;
import static dev.gust.http.parse.LoopSimulation.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.HttpLimits;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejection rule, with the exact status, fed whole and split at every byte position (the
 * status must not depend on how the bytes arrive).
 */
class RequestRejectionTest {
    private static final String HOST = "Host: a\r\n";

    static Stream<Arguments> rejections() {
        return Stream.of(
                // 400: malformed request line
                reject(400, "double space in request line", "GET  / HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "leading space", " GET / HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "tab as separator", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "non-token method", "G@T / HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "control char in target", "GET /a\u0001b HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "DEL in target", "GET /a\u007fb HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "relative target", "GET foo HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "asterisk outside OPTIONS", "GET * HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "origin-form CONNECT", "CONNECT /x HTTP/1.1\r\n" + HOST + "\r\n"),
                reject(400, "HTTP/0.9 request line", "GET /\r\n\r\n"),
                reject(400, "bad protocol name", "GET / HTTX/1.1\r\n" + HOST + "\r\n"),
                reject(400, "lower-case protocol name", "GET / http/1.1\r\n" + HOST + "\r\n"),
                reject(400, "bad version digits", "GET / HTTP/1.x\r\n" + HOST + "\r\n"),
                reject(400, "version without dot", "GET / HTTP/11\r\n" + HOST + "\r\n"),
                reject(400, "trailing space after version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n"),
                reject(400, "bare LF after request line", "GET / HTTP/1.1\n" + HOST + "\r\n"),
                reject(400, "bare CR after request line", "GET / HTTP/1.1\rHost: a\r\n\r\n"),
                // 400: malformed header fields
                reject(400, "obs-fold", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n  continued\r\n\r\n"),
                reject(400, "whitespace before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
                reject(400, "tab before colon", "GET / HTTP/1.1\r\n" + HOST + "X-A\t: 1\r\n\r\n"),
                reject(400, "space inside name", "GET / HTTP/1.1\r\n" + HOST + "X A: 1\r\n\r\n"),
                reject(400, "empty name", "GET / HTTP/1.1\r\n" + HOST + ": 1\r\n\r\n"),
                reject(400, "line without colon", "GET / HTTP/1.1\r\n" + HOST + "NoColon\r\n\r\n"),
                reject(400, "non-ASCII name", "GET / HTTP/1.1\r\n" + HOST + "X-\u00e9: 1\r\n\r\n"),
                reject(400, "NUL in value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\u0000b\r\n\r\n"),
                reject(400, "bare CR in value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\rb\r\n\r\n"),
                reject(400, "bare LF in value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\nb\r\n\r\n"),
                reject(400, "DEL in value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\u007f\r\n\r\n"),
                reject(400, "bare LF ending the head", "GET / HTTP/1.1\r\n" + HOST + "\n"),
                reject(400, "bare CR ending the head", "GET / HTTP/1.1\r\n" + HOST + "\rX"),
                // 400: Host rules
                reject(400, "missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n"),
                reject(400, "two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                reject(400, "Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                reject(400, "Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
                // 400: request smuggling
                reject(400, "Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
                reject(400, "Transfer-Encoding and Content-Length",
                        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
                reject(400, "differing Content-Length headers",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n"),
                reject(400, "differing Content-Length list", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3, 4\r\n\r\n"),
                reject(400, "negative Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n"),
                reject(400, "signed Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: +1\r\n\r\n"),
                reject(400, "garbage Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 12abc\r\n\r\n"),
                reject(400, "hex Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 0x10\r\n\r\n"),
                reject(400, "empty Content-Length", "POST / HTTP/1.1\r\n" + HOST + "Content-Length:\r\n\r\n"),
                reject(400, "Content-Length list with empty element", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3,\r\n\r\n"),
                reject(400, "overflowing Content-Length",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 99999999999999999999\r\n\r\n"),
                reject(400, "chunked not final", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, gzip\r\n\r\n"),
                reject(400, "only an unknown coding", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n"),
                reject(400, "chunked twice", "POST / HTTP/1.1\r\n" + HOST
                        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
                reject(400, "empty Transfer-Encoding", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: \r\n\r\n"),
                reject(400, "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                reject(400, "chunked with a near miss", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunkedx\r\n\r\n"),
                // 501: framing understood, coding not supported
                reject(501, "gzip then chunked", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n"),
                reject(501, "unknown coding then chunked",
                        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: foo\r\nTransfer-Encoding: chunked\r\n\r\n"),
                // 505: unsupported versions
                reject(505, "HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n"),
                reject(505, "HTTP/0.9 with version", "GET / HTTP/0.9\r\n" + HOST + "\r\n"),
                reject(505, "HTTP/3.1", "GET / HTTP/3.1\r\n" + HOST + "\r\n"),
                // 413: body limit (1 MiB by default)
                reject(413, "Content-Length over the limit",
                        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 1048577\r\n\r\n"),
                reject(413, "chunk over the limit",
                        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n100001\r\n"),
                // 431: header count
                reject(431, "too many header fields", "GET / HTTP/1.1\r\n" + HOST + "X: 1\r\n".repeat(100) + "\r\n"),
                // chunked framing errors
                reject(400, "chunk size not hex", chunked("zz\r\n")),
                reject(400, "chunk size missing", chunked("\r\nabc\r\n")),
                reject(400, "chunk size overflow", chunked("fffffffffffffffff\r\n")),
                reject(400, "negative chunk size", chunked("-1\r\n")),
                reject(400, "space after chunk size", chunked("3 \r\nabc\r\n0\r\n\r\n")),
                reject(400, "bare LF after chunk size", chunked("3\nabc\r\n0\r\n\r\n")),
                reject(400, "bare CR after chunk size", chunked("3\rabc\r\n0\r\n\r\n")),
                reject(400, "chunk data too long", chunked("3\r\nabcd\r\n0\r\n\r\n")),
                reject(400, "missing CRLF after data", chunked("3\r\nabc0\r\n\r\n")),
                reject(400, "bare LF after data", chunked("3\r\nabc\n0\r\n\r\n")),
                reject(400, "extension without name", chunked("3;=x\r\nabc\r\n0\r\n\r\n")),
                reject(400, "extension with bad char", chunked("3;a@b\r\nabc\r\n0\r\n\r\n")),
                reject(400, "extension value missing", chunked("3;a=\r\nabc\r\n0\r\n\r\n")),
                reject(400, "unterminated quoted extension", chunked("3;a=\"x\r\nabc\r\n0\r\n\r\n")),
                reject(400, "trailing space after extension", chunked("3;a \r\nabc\r\n0\r\n\r\n")),
                reject(400, "chunk line over the limit", chunked("3;" + "a".repeat(1100) + "\r\nabc\r\n0\r\n\r\n")),
                reject(400, "trailer obs-fold", chunked("0\r\nX: 1\r\n folded\r\n\r\n")),
                reject(400, "trailer whitespace before colon", chunked("0\r\nX : 1\r\n\r\n")),
                reject(400, "trailer without colon", chunked("0\r\nX\r\n\r\n")),
                reject(400, "trailer with NUL", chunked("0\r\nX: a\u0000\r\n\r\n")),
                reject(400, "bare LF ending trailers", chunked("0\r\nX: 1\r\n\n")),
                reject(431, "trailers over the limit", chunked("0\r\n" + ("X-Trailer: " + "v".repeat(100) + "\r\n").repeat(80) + "\r\n")));
    }

    private static String chunked(String body) {
        return "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + body;
    }

    private static Arguments reject(int status, String rule, String request) {
        return Arguments.of(status, rule, request);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rejections")
    void rejectsWithExactStatusHoweverTheBytesArrive(int status, String rule, String request) {
        byte[] data = bytes(request);
        var whole = LoopSimulation.runWhole(data, false);
        assertEquals(status, whole.errorStatus(), rule + " (whole)");
        assertTrue(whole.requests().isEmpty(), rule + ": no request may complete");
        assertEquals(status, LoopSimulation.runWhole(data, true).errorStatus(), rule + " (direct buffer)");
        for (int cut = 1; cut < data.length; cut++) {
            int got = LoopSimulation.run(data, new int[] {cut}, false, HttpLimits.DEFAULT).errorStatus();
            assertEquals(status, got, rule + " (split at " + cut + ")");
        }
        assertEquals(status, LoopSimulation.runBytewise(data, false).errorStatus(), rule + " (byte by byte)");
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("headSizes")
    void headOverTheLimitIs431WholeOrSplit(int padding) {
        HttpLimits limits = HttpLimits.DEFAULT.withMaxHeadSize(256);
        String head = crlf("GET / HTTP/1.1\nHost: a\nX-Pad: " + "p".repeat(padding) + "\n\n");
        byte[] data = bytes(head);
        int expected = data.length > 256 ? 431 : 0;
        assertEquals(expected, LoopSimulation.run(data, new int[0], false, limits).errorStatus());
        for (int cut = 1; cut < data.length; cut++) {
            assertEquals(expected, LoopSimulation.run(data, new int[] {cut}, false, limits).errorStatus(), "split at " + cut);
        }
    }

    static Stream<Integer> headSizes() {
        // The head below is 41 bytes plus padding: 215 makes exactly 256 (allowed), 216 one over.
        return Stream.of(100, 215, 216, 1000);
    }

    @org.junit.jupiter.api.Test
    void headThatNeverEndsIs431OnceItPassesTheLimit() {
        HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULT.withMaxHeadSize(1024));
        java.nio.ByteBuffer piece = java.nio.ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(20)));
        ParseResult result = ParseResult.NEED_MORE;
        int fed = 0;
        while (result == ParseResult.NEED_MORE && fed < 100) {
            piece.rewind();
            result = parser.feed(piece, head -> true);
            fed++;
        }
        assertEquals(ParseResult.ERROR, result);
        assertEquals(431, parser.errorStatus());
        assertTrue(fed * piece.capacity() > 1024 && (fed - 1) * piece.capacity() <= 1024 + piece.capacity());
    }
}

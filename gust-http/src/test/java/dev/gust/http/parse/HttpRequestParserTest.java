package dev.gust.http.parse;

import static dev.gust.http.parse.LoopSimulation.bytes;
import static dev.gust.http.parse.LoopSimulation.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HttpRequestParserTest {

    /** Parses one complete request from a single buffer and hands its head to {@code check} during onHead. */
    private static void withHead(String request, Consumer<HttpRequestHead> check) {
        HttpRequestParser parser = new HttpRequestParser();
        boolean[] seen = {false};
        ParseResult result = parser.feed(ByteBuffer.wrap(bytes(request)), head -> {
            check.accept(head);
            seen[0] = true;
            return true;
        });
        assertTrue(result == ParseResult.NEED_MORE || result == ParseResult.CLOSED,
                () -> "error " + parser.errorStatus() + " " + parser.errorReason());
        assertTrue(seen[0], "onHead not called");
    }

    @Test
    void parsesRequestLineAndHeadersInPlace() {
        withHead(crlf("GET /users/42?x=1&y=two HTTP/1.1\nHost: example.com\nAccept: */*\nX-Empty:\n\n"), h -> {
            assertEquals(HttpMethod.GET, h.method());
            assertEquals("GET", h.methodName());
            assertEquals("/users/42?x=1&y=two", h.target());
            assertEquals("/users/42", h.rawPath());
            assertEquals("x=1&y=two", h.query());
            assertEquals(1, h.versionMinor());
            assertEquals(3, h.headerCount());
            assertEquals("Host", h.headerName(0));
            assertEquals("example.com", h.headerValue(0));
            assertEquals("", h.headerValue(2));
            assertEquals(0, h.contentLength());
            assertFalse(h.hasBody());
            assertTrue(h.keepAlive());
            assertEquals(bytes(crlf("GET /users/42?x=1&y=two HTTP/1.1\nHost: example.com\nAccept: */*\nX-Empty:\n\n")).length,
                    h.headLength());
        });
    }

    @Test
    void headerLookupIgnoresCaseAndTrimsWhitespace() {
        withHead(crlf("GET / HTTP/1.1\nHOST: a\ncontent-TYPE: \t text/plain \t\nX-Multi: 1\nx-multi: 2\n\n"), h -> {
            assertEquals("a", h.header("host"));
            assertEquals("text/plain", h.header("Content-Type"));
            assertEquals("1", h.header("X-MULTI"));
            assertEquals(3, h.headerIndex("x-multi", 3));
            assertEquals(-1, h.headerIndex("x-multi", 4));
            assertTrue(h.hasHeader("x-multi"));
            assertFalse(h.hasHeader("x-missing"));
            assertNull(h.header("x-missing"));
            assertTrue(h.headerNameIs(1, "Content-Type"));
            assertThrows(IndexOutOfBoundsException.class, () -> h.headerValue(5));
        });
    }

    @Test
    void headerValuesKeepObsTextAsLatin1() {
        withHead("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\n\r\n", h -> assertEquals("caf\u00e9", h.header("x-name")));
    }

    @Test
    void headerHasTokenReadsCommaSeparatedListsAcrossFields() {
        withHead(crlf("GET / HTTP/1.1\nHost: a\nConnection: keep-alive , Upgrade\nX-List: a,,b\nX-List: c\n\n"), h -> {
            assertTrue(h.headerHasToken("connection", "upgrade"));
            assertTrue(h.headerHasToken("x-list", "b"));
            assertTrue(h.headerHasToken("x-list", "C"));
            assertFalse(h.headerHasToken("x-list", "d"));
            assertFalse(h.headerHasToken("x-none", "a"));
        });
    }

    @Test
    void pathAndQueryParamsArePercentDecodedOnDemand() {
        withHead(crlf("GET /a%20b/c%2Fd?q=hello+world&e=%E2%82%AC&bare&x=1&x=2&k%20ey=v&bad=%zz HTTP/1.1\nHost: a\n\n"), h -> {
            assertEquals("/a%20b/c%2Fd", h.rawPath());
            assertEquals("/a b/c/d", h.path());
            assertEquals("hello world", h.queryParam("q"));
            assertEquals("\u20ac", h.queryParam("e"));
            assertEquals("", h.queryParam("bare"));
            assertEquals("1", h.queryParam("x"));
            assertEquals("v", h.queryParam("k ey"));
            assertEquals("%zz", h.queryParam("bad"));
            assertNull(h.queryParam("missing"));
        });
        withHead(crlf("GET /plain HTTP/1.1\nHost: a\n\n"), h -> {
            assertNull(h.query());
            assertNull(h.queryParam("q"));
        });
    }

    @Test
    void acceptsAbsoluteAsteriskAndAuthorityForms() {
        withHead(crlf("GET http://example.com:8080/a/b?x=1 HTTP/1.1\nHost: example.com:8080\n\n"), h -> {
            assertEquals("/a/b", h.rawPath());
            assertEquals("x=1", h.query());
        });
        withHead(crlf("GET https://example.com HTTP/1.1\nHost: example.com\n\n"), h -> {
            assertEquals("/", h.rawPath());
            assertEquals("/", h.path());
            assertEquals(0, h.pathLength());
        });
        withHead(crlf("OPTIONS * HTTP/1.1\nHost: a\n\n"), h -> assertEquals("*", h.rawPath()));
        withHead(crlf("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n"), h -> {
            assertEquals(HttpMethod.CONNECT, h.method());
            assertEquals("example.com:443", h.rawPath());
        });
    }

    @Test
    void extensionMethodsKeepTheirName() {
        withHead(crlf("PROPFIND /dav HTTP/1.1\nHost: a\n\n"), h -> {
            assertEquals(HttpMethod.OTHER, h.method());
            assertEquals("PROPFIND", h.methodName());
        });
    }

    @Test
    void http10NeedsNoHostAndLaterMinorVersionsCountAsHttp11() {
        withHead(crlf("GET / HTTP/1.0\n\n"), h -> {
            assertEquals(0, h.versionMinor());
            assertFalse(h.keepAlive());
        });
        withHead(crlf("GET / HTTP/1.7\nHost: a\n\n"), h -> assertEquals(1, h.versionMinor()));
    }

    @Test
    void keepAliveFollowsVersionAndConnectionHeader() {
        String[][] cases = {
            {"HTTP/1.1", "", "true"},
            {"HTTP/1.1", "Connection: close\n", "false"},
            {"HTTP/1.1", "Connection: Keep-Alive, CLOSE\n", "false"},
            {"HTTP/1.1", "Connection: keep-alive\n", "true"},
            {"HTTP/1.0", "", "false"},
            {"HTTP/1.0", "Connection: keep-alive\n", "true"},
            {"HTTP/1.0", "Connection: foo\nConnection: Keep-Alive\n", "true"},
            {"HTTP/1.0", "Connection: keep-alive, close\n", "false"},
        };
        for (String[] c : cases) {
            withHead(crlf("GET / " + c[0] + "\nHost: a\n" + c[1] + "\n"),
                    h -> assertEquals(Boolean.parseBoolean(c[2]), h.keepAlive(), c[0] + " " + c[1]));
        }
    }

    @Test
    void detectsExpectContinue() {
        withHead(crlf("POST / HTTP/1.1\nHost: a\nExpect: 100-Continue\nContent-Length: 3\n\n"), h -> assertTrue(h.expectContinue()));
        withHead(crlf("POST / HTTP/1.1\nHost: a\nContent-Length: 3\n\n"), h -> assertFalse(h.expectContinue()));
        // RFC 9110 §10.1.1: a 1.0 client cannot be waiting for 100 Continue.
        withHead(crlf("POST / HTTP/1.0\nExpect: 100-continue\nContent-Length: 3\n\n"), h -> assertFalse(h.expectContinue()));
    }

    @Test
    void detectsUpgradeOnlyWithConnectionUpgradeOnHttp11() {
        String ws = "GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: keep-alive, Upgrade\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n";
        withHead(crlf(ws), h -> {
            assertTrue(h.isUpgrade());
            assertTrue(h.headerHasToken("upgrade", "WebSocket"));
            assertEquals("dGhlIHNhbXBsZSBub25jZQ==", h.header("sec-websocket-key"));
        });
        withHead(crlf("GET / HTTP/1.1\nHost: a\nUpgrade: websocket\n\n"), h -> assertFalse(h.isUpgrade()));
        withHead(crlf("GET / HTTP/1.0\nUpgrade: websocket\nConnection: upgrade\n\n"), h -> assertFalse(h.isUpgrade()));
    }

    @Test
    void ignoresEmptyLinesBeforeARequest() {
        var outcome = LoopSimulation.runWhole(bytes(crlf("\n\nGET / HTTP/1.1\nHost: a\n\n\nGET /2 HTTP/1.1\nHost: a\n\n")), false);
        assertEquals(0, outcome.errorStatus());
        assertEquals(2, outcome.requests().size());
    }

    @Test
    void pipelinedRequestsAreParsedFromTheSameBuffer() {
        String pipelined = crlf("GET /1 HTTP/1.1\nHost: a\n\n"
                + "POST /2 HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello"
                + "PUT /3 HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n3\nabc\n2\nde\n0\n\n"
                + "GET /4 HTTP/1.1\nHost: a\nConnection: close\n\n");
        var outcome = LoopSimulation.runWhole(bytes(pipelined), true);
        assertEquals(0, outcome.errorStatus());
        List<String> requests = outcome.requests();
        assertEquals(4, requests.size());
        assertTrue(requests.get(0).startsWith("GET /1 "), requests.get(0));
        assertTrue(requests.get(1).endsWith("body=hello"), requests.get(1));
        assertTrue(requests.get(2).contains("chunked=true") && requests.get(2).endsWith("body=abcde"), requests.get(2));
        assertTrue(requests.get(3).contains("keepAlive=false"), requests.get(3));
        assertTrue(outcome.closed());
    }

    @Test
    void nothingAfterANonPersistentRequestIsParsed() {
        for (String last : new String[] {"GET /1 HTTP/1.1\nHost: a\nConnection: close\n\n", "GET /1 HTTP/1.0\n\n"}) {
            byte[] first = bytes(crlf(last));
            ByteBuffer in = ByteBuffer.wrap(bytes(crlf(last + "GET /2 HTTP/1.1\nHost: a\n\n")));
            HttpRequestParser parser = new HttpRequestParser();
            List<String> paths = new ArrayList<>();
            ParseResult result = parser.feed(in, head -> paths.add(head.rawPath()));
            assertEquals(ParseResult.CLOSED, result);
            assertEquals(List.of("/1"), paths);
            assertEquals(first.length, in.position(), "stops right after the last request");
            LoopSimulation.poison(in);
            assertEquals("/1", parser.head().rawPath(), "head kept for the pending response");
            assertEquals(ParseResult.CLOSED, parser.feed(in, head -> paths.add(head.rawPath())));
            assertEquals(List.of("/1"), paths);
        }
    }

    @Test
    void completeHeadsAreParsedInPlace() {
        byte[] raw = bytes(crlf("GET /1 HTTP/1.1\nHost: a\n\nPOST /2 HTTP/1.1\nHost: a\nContent-Length: 1\n\nx"));
        assertEquals(0, LoopSimulation.runWhole(raw, false).headBytesCopied());
    }

    @Test
    void bodyPiecesAreViewsOfTheInputWithoutCopies() {
        byte[] raw = bytes(crlf("POST / HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello"));
        ByteBuffer in = ByteBuffer.wrap(raw);
        List<ByteBuffer> pieces = new ArrayList<>();
        new HttpRequestParser().feed(in, new HttpRequestHandler() {
            public boolean onHead(HttpRequestHead head) {
                return true;
            }

            public boolean onBody(ByteBuffer chunk) {
                assertSame(raw, chunk.array(), "body must be a view of the input array");
                assertEquals(raw.length - 5, chunk.position());
                assertEquals(5, chunk.remaining());
                pieces.add(chunk);
                return true;
            }
        });
        assertEquals(1, pieces.size());
    }

    @Test
    void pausingAfterTheHeadLeavesFollowingBytesForTheNewProtocol() {
        byte[] raw = bytes(crlf("GET /ws HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n\n") + "\u0081\u0085FRAME");
        ByteBuffer shared = ByteBuffer.wrap(raw.clone());
        HttpRequestParser parser = new HttpRequestParser();
        HttpRequestHead[] kept = new HttpRequestHead[1];
        ParseResult result = parser.feed(shared, head -> {
            kept[0] = head;
            return !head.isUpgrade();          // take the connection over
        });
        assertEquals(ParseResult.PAUSED, result);
        assertEquals(raw.length - 7, shared.position());
        assertEquals((byte) 0x81, shared.get(shared.position()));
        LoopSimulation.poison(shared);         // the read buffer is reused...
        assertEquals("/ws", kept[0].rawPath()); // ...but a paused request keeps its head
        assertEquals("Upgrade", kept[0].header("connection"));
    }

    @Test
    void pausingAtTheEndStopsBeforeTheNextPipelinedRequest() {
        byte[] raw = bytes(crlf("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n"));
        ByteBuffer in = ByteBuffer.wrap(raw);
        HttpRequestParser parser = new HttpRequestParser();
        List<String> paths = new ArrayList<>();
        HttpRequestHandler oneAtATime = new HttpRequestHandler() {
            public boolean onHead(HttpRequestHead head) {
                paths.add(head.rawPath());
                return true;
            }

            public boolean onEnd() {
                return false;
            }
        };
        assertEquals(ParseResult.PAUSED, parser.feed(in, oneAtATime));
        assertEquals(List.of("/1"), paths);
        assertEquals(raw.length / 2, in.position());
        assertEquals("/1", parser.head().rawPath(), "head stays valid while paused");
        assertEquals(ParseResult.PAUSED, parser.feed(in, oneAtATime));
        assertEquals(List.of("/1", "/2"), paths);
        assertEquals(ParseResult.NEED_MORE, parser.feed(in, oneAtATime));
        assertTrue(parser.isIdle());
    }

    @Test
    void pausingInTheBodyResumesWhereItStopped() {
        byte[] raw = bytes(crlf("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nab\n2\ncd\n0\n\n"));
        ByteBuffer in = ByteBuffer.wrap(raw);
        StringBuilder body = new StringBuilder();
        boolean[] ended = {false};
        HttpRequestHandler pauseAfterEachPiece = new HttpRequestHandler() {
            public boolean onHead(HttpRequestHead head) {
                return true;
            }

            public boolean onBody(ByteBuffer chunk) {
                body.append(StandardCharsets.ISO_8859_1.decode(chunk));
                return false;
            }

            public boolean onEnd() {
                ended[0] = true;
                return true;
            }
        };
        HttpRequestParser parser = new HttpRequestParser();
        assertEquals(ParseResult.PAUSED, parser.feed(in, pauseAfterEachPiece));
        assertEquals("ab", body.toString());
        assertEquals(ParseResult.PAUSED, parser.feed(in, pauseAfterEachPiece));
        assertEquals("abcd", body.toString());
        assertFalse(ended[0]);
        assertEquals(ParseResult.NEED_MORE, parser.feed(in, pauseAfterEachPiece));
        assertTrue(ended[0]);
    }

    @Test
    void zeroLengthBodyEndIsDeliveredAfterResumingWithNoBytes() {
        HttpRequestParser parser = new HttpRequestParser();
        int[] ends = {0};
        HttpRequestHandler pauseOnHead = new HttpRequestHandler() {
            public boolean onHead(HttpRequestHead head) {
                return false;
            }

            public boolean onEnd() {
                ends[0]++;
                return true;
            }
        };
        ByteBuffer in = ByteBuffer.wrap(bytes(crlf("GET / HTTP/1.1\nHost: a\n\n")));
        assertEquals(ParseResult.PAUSED, parser.feed(in, pauseOnHead));
        assertEquals(0, ends[0]);
        assertEquals(ParseResult.NEED_MORE, parser.feed(ByteBuffer.allocate(0), pauseOnHead));
        assertEquals(1, ends[0]);
    }

    @Test
    void detachedHeadOutlivesTheReadBuffer() {
        ByteBuffer shared = ByteBuffer.wrap(bytes(crlf("GET /kept?a=1 HTTP/1.1\nHost: h\n\n")));
        HttpRequestParser parser = new HttpRequestParser();
        HttpRequestHead[] kept = new HttpRequestHead[1];
        parser.feed(shared, head -> {
            kept[0] = head.detach();
            return true;
        });
        LoopSimulation.poison(shared);
        assertEquals("/kept", kept[0].rawPath());
        assertEquals("1", kept[0].queryParam("a"));
        assertEquals("h", kept[0].header("host"));
    }

    @Test
    void errorIsStickyAndReportsReason() {
        HttpRequestParser parser = new HttpRequestParser();
        ByteBuffer in = ByteBuffer.wrap(bytes(crlf("GET / HTTP/1.1\nBad Header: x\n\n")));
        assertEquals(ParseResult.ERROR, parser.feed(in, head -> true));
        assertEquals(400, parser.errorStatus());
        assertEquals("whitespace before colon", parser.errorReason());
        assertEquals(ParseResult.ERROR, parser.feed(ByteBuffer.wrap(bytes(crlf("GET / HTTP/1.1\nHost: a\n\n"))), head -> true));
        parser.reset();
        assertEquals(ParseResult.NEED_MORE, parser.feed(ByteBuffer.wrap(bytes(crlf("GET / HTTP/1.1\nHost: a\n\n"))), head -> true));
        assertEquals(0, parser.errorStatus());
    }

    @Test
    void reportsWhetherAHeadIsInProgress() {
        HttpRequestParser parser = new HttpRequestParser();
        assertTrue(parser.isIdle());
        parser.feed(ByteBuffer.wrap(bytes("GET / HT")), head -> true);
        assertTrue(parser.isReadingHead());
        assertFalse(parser.isIdle());
        parser.feed(ByteBuffer.wrap(bytes(crlf("TP/1.1\nHost: a\n\n"))), head -> true);
        assertTrue(parser.isIdle());
        assertFalse(parser.isReadingHead());
    }
}

package dev.gust.http.parse;

import static dev.gust.http.parse.LoopSimulation.bytes;
import static dev.gust.http.parse.LoopSimulation.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.HttpMethod;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Steady-state parsing allocates nothing: measured with the JVM's per-thread allocation counter
 * over thousands of requests, after a warm-up that lets the reused arrays reach their size.
 */
class ZeroAllocationTest {
    private static final int REQUESTS = 5_000;
    /** Slack for the counter's own bookkeeping; far below one object per request. */
    private static final long TOLERANCE_BYTES = 2_048;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Touches the head the way a router does: method, path bytes, one header check. */
    private static final class CountingHandler implements HttpRequestHandler {
        int requests;
        long bodyBytes;

        @Override
        public boolean onHead(HttpRequestHead head) {
            if (head.method() == HttpMethod.OTHER || head.pathLength() < 0) throw new AssertionError();
            if (!head.hasHeader("host")) throw new AssertionError();
            return true;
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            bodyBytes += chunk.remaining();
            return true;
        }

        @Override
        public boolean onEnd() {
            requests++;
            return true;
        }
    }

    /** Copies each read into ONE shared direct buffer, as the event loop does, and parses it. */
    private static long allocatedWhileParsing(byte[][] reads, CountingHandler handler) {
        HttpRequestParser parser = new HttpRequestParser();
        ByteBuffer shared = ByteBuffer.allocateDirect(4096);
        Runnable round = () -> {
            for (byte[] read : reads) {
                shared.clear();
                shared.put(read).flip();
                if (parser.feed(shared, handler) != ParseResult.NEED_MORE) throw new AssertionError(parser.errorReason());
            }
        };
        for (int i = 0; i < 500; i++) round.run();   // warm-up: reused arrays grow to size
        handler.requests = 0;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < REQUESTS; i++) round.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void typicalGetAllocatesNothing() {
        byte[] get = bytes(crlf("GET /api/v1/items?id=42 HTTP/1.1\nHost: example.com\n"
                + "User-Agent: Mozilla/5.0\nAccept: application/json\nAccept-Encoding: gzip\n"
                + "Cookie: session=abc123\nConnection: keep-alive\n\n"));
        CountingHandler handler = new CountingHandler();
        long allocated = allocatedWhileParsing(new byte[][] {get}, handler);
        assertEquals(REQUESTS, handler.requests);
        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes for " + REQUESTS + " requests");
    }

    @Test
    void splitHeadsAndBodiesAcrossReadsAllocateNothing() {
        String stream = crlf("POST /upload HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5;x=y\nhello\n0\nT: 1\n\n"
                + "PUT /p HTTP/1.1\nHost: a\nContent-Length: 4\n\nbody");
        byte[] data = bytes(stream);
        // Three reads, cut inside a head, a chunk and a body.
        int[] cuts = {20, 70, data.length - 2};
        byte[][] reads = new byte[cuts.length + 1][];
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : data.length;
            reads[i] = java.util.Arrays.copyOfRange(data, from, to);
            from = to;
        }
        CountingHandler handler = new CountingHandler();
        long allocated = allocatedWhileParsing(reads, handler);
        assertEquals(2 * REQUESTS, handler.requests);
        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes for " + 2 * REQUESTS + " requests");
    }
}

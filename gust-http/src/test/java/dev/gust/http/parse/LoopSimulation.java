package dev.gust.http.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gust.http.HttpLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds bytes to a parser the way the event loop will: every read lands in ONE shared buffer that
 * is overwritten with garbage after the callback, so anything the parser or a handler keeps
 * pointing into it shows up as corrupted output.
 */
final class LoopSimulation {
    /** What a run produced: one summary per completed request, and the error status if any (else 0). */
    record Outcome(List<String> requests, int errorStatus, long headBytesCopied, boolean closed) {}

    private LoopSimulation() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Replaces every "\n" by CRLF, so requests read naturally in tests. */
    static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    static Outcome runWhole(byte[] data, boolean direct) {
        return run(data, new int[0], direct, HttpLimits.DEFAULT);
    }

    static Outcome run(byte[] data, int[] cuts, boolean direct, HttpLimits limits) {
        HttpRequestParser parser = new HttpRequestParser(limits);
        Recorder recorder = new Recorder();
        ByteBuffer shared = direct ? ByteBuffer.allocateDirect(data.length + 16) : ByteBuffer.allocate(data.length + 16);
        int from = 0;
        int error = 0;
        boolean closed = false;
        for (int c = 0; c <= cuts.length && error == 0 && !closed; c++) {
            int to = c < cuts.length ? cuts[c] : data.length;
            shared.clear();
            shared.put(data, from, to - from).flip();
            ParseResult result = parser.feed(shared, recorder);
            if (result == ParseResult.ERROR) {
                error = parser.errorStatus();
            } else if (result == ParseResult.CLOSED) {
                closed = true;
            } else {
                assertEquals(ParseResult.NEED_MORE, result);
                assertFalse(shared.hasRemaining(), "NEED_MORE must consume everything");
            }
            poison(shared);
            from = to;
        }
        return new Outcome(recorder.requests, error, parser.headBytesCopied(), closed);
    }

    static Outcome runBytewise(byte[] data, boolean direct) {
        int[] cuts = new int[Math.max(0, data.length - 1)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return run(data, cuts, direct, HttpLimits.DEFAULT);
    }

    static void poison(ByteBuffer buffer) {
        buffer.clear();
        while (buffer.hasRemaining()) buffer.put((byte) '#');
        buffer.clear();
    }

    /** A one-line, order-preserving description of a head, read through the public API. */
    static String describe(HttpRequestHead h) {
        StringBuilder sb = new StringBuilder()
                .append(h.methodName()).append(' ').append(h.target())
                .append(" v1.").append(h.versionMinor())
                .append(" path=").append(h.rawPath()).append(" query=").append(h.query())
                .append(" cl=").append(h.contentLength()).append(" chunked=").append(h.isChunked())
                .append(" keepAlive=").append(h.keepAlive()).append(" expect=").append(h.expectContinue())
                .append(" upgrade=").append(h.isUpgrade()).append(" headers=[");
        for (int i = 0; i < h.headerCount(); i++) {
            sb.append(i == 0 ? "" : "|").append(h.headerName(i)).append(':').append(h.headerValue(i));
        }
        return sb.append(']').toString();
    }

    /** Records requests; re-reads the head at the end to prove it survived any body reads. */
    static final class Recorder implements HttpRequestHandler {
        final List<String> requests = new ArrayList<>();
        private HttpRequestHead head;
        private String headAtStart;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public boolean onHead(HttpRequestHead head) {
            this.head = head;
            headAtStart = describe(head);
            body.reset();
            return true;
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            body.writeBytes(b);
            return true;
        }

        @Override
        public boolean onEnd() {
            assertEquals(headAtStart, describe(head), "head changed between onHead and onEnd");
            requests.add(headAtStart + " body=" + body.toString(StandardCharsets.ISO_8859_1));
            return true;
        }
    }

    static int[] cutsAt(int... positions) {
        return Arrays.copyOf(positions, positions.length);
    }
}

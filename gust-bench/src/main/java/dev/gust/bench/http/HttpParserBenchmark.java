package dev.gust.bench.http;

import dev.gust.http.parse.HttpRequestHandler;
import dev.gust.http.parse.HttpRequestHead;
import dev.gust.http.parse.HttpRequestParser;
import dev.gust.http.parse.ParseResult;
import dev.gust.http.route.RouteMatch;
import dev.gust.http.route.Router;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request parsing cost per operation, as the event loop will drive it: one reused parser, one
 * shared read buffer (heap or direct), a handler that reads the method, routes the path in place
 * and checks one header. Run with {@code -prof gc}: gc.alloc.rate.norm should be ~0 B/op.
 *
 * <pre>
 * java -cp "gust-bench/target/classes:gust-bench/target/lib/*" org.openjdk.jmh.Main HttpParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class HttpParserBenchmark {
    /** A typical browser-ish API request: about 300 bytes, 6 header fields. */
    static final String GET = "GET /api/v1/users/12345/profile?fields=name,email&lang=en HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0\r\n"
            + "Accept: application/json, text/plain, */*\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";
    static final String POST_CHUNKED = "POST /api/v1/events HTTP/1.1\r\nHost: api.example.com\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "20\r\n{\"type\":\"click\",\"x\":12,\"y\":3456}\r\n0\r\n\r\n";

    @Param({"heap", "direct"})
    public String buffer;

    private final HttpRequestParser parser = new HttpRequestParser();
    private final Router<Integer> router = new Router<Integer>()
            .get("/", 0).get("/api/v1/users", 1).get("/api/v1/users/:id", 2).get("/api/v1/users/:id/profile", 3)
            .post("/api/v1/events", 4).get("/assets/*", 5);
    private final RoutingHandler handler = new RoutingHandler(router);

    private ByteBuffer shared;
    private byte[] get;
    private byte[] pipelined16;
    private byte[] getFirstHalf;
    private byte[] getSecondHalf;
    private byte[] postChunked;

    /** Reads the head the way a server does; the sum keeps the JIT from skipping any of it. */
    static final class RoutingHandler implements HttpRequestHandler {
        private final Router<Integer> router;
        private final RouteMatch<Integer> match = new RouteMatch<>();
        long sum;

        RoutingHandler(Router<Integer> router) {
            this.router = router;
        }

        @Override
        public boolean onHead(HttpRequestHead head) {
            if (router.match(head, match) == RouteMatch.Outcome.FOUND) sum += match.handler() + match.paramCount();
            sum += head.method().ordinal() + (head.keepAlive() ? 1 : 0) + head.headerIndex("accept-encoding", 0);
            return true;
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            sum += chunk.remaining();
            return true;
        }

        @Override
        public boolean onEnd() {
            sum++;
            return true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        shared = buffer.equals("direct") ? ByteBuffer.allocateDirect(16 * 1024) : ByteBuffer.allocate(16 * 1024);
        get = GET.getBytes(StandardCharsets.US_ASCII);
        pipelined16 = GET.repeat(16).getBytes(StandardCharsets.US_ASCII);
        getFirstHalf = java.util.Arrays.copyOfRange(get, 0, get.length / 2);
        getSecondHalf = java.util.Arrays.copyOfRange(get, get.length / 2, get.length);
        postChunked = POST_CHUNKED.getBytes(StandardCharsets.US_ASCII);
    }

    /** Copies one read into the shared buffer and parses it, like the loop's data callback. */
    private long read(byte[] bytes) {
        shared.clear();
        shared.put(bytes).flip();
        if (parser.feed(shared, handler) != ParseResult.NEED_MORE) throw new IllegalStateException(parser.errorReason());
        return handler.sum;
    }

    /** One ~300-byte GET, complete in one read: parsed in place. */
    @Benchmark
    public long get300() {
        return read(get);
    }

    /** Sixteen such GETs pipelined in one read (cost per batch; divide by 16 per request). */
    @Benchmark
    public long pipelined16() {
        return read(pipelined16);
    }

    /** The GET split across two reads: the first half is copied once, then completed. */
    @Benchmark
    public long get300SplitInTwo() {
        read(getFirstHalf);
        return read(getSecondHalf);
    }

    /** A small chunked POST: head, one chunk delivered as a view, last chunk. */
    @Benchmark
    public long postChunked() {
        return read(postChunked);
    }
}

package dev.gust.http.parse;

import dev.gust.http.HttpLimits;
import dev.gust.http.HttpStatus;
import java.nio.ByteBuffer;

/**
 * Incremental HTTP/1.1 request parser (RFC 9112): request heads, Content-Length and chunked
 * bodies, pipelined requests, with no allocation per request in steady state.
 *
 * <p>Feed it each read as it arrives; it calls the handler for every head, body piece and request
 * end it finds, then continues with the next pipelined request in the same buffer. A head that is
 * complete in the buffer is parsed in place; one split across reads is copied once into a
 * per-connection buffer (bounded by {@link HttpLimits#maxHeadSize()}). Malformed or oversized input
 * ends with {@link ParseResult#ERROR} and the status to answer: 400, 413, 431, 501 or 505.
 *
 * <pre>{@code
 * HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULT);   // one per connection
 * // in the socket's data callback:
 * switch (parser.feed(readBuffer, handler)) {
 *     case NEED_MORE -> { }                                  // wait for the next read
 *     case PAUSED -> keepUnconsumed(readBuffer);             // e.g. WebSocket bytes after an upgrade
 *     case CLOSED -> closeAfterResponse();                   // Connection: close
 *     case ERROR -> closeWith(parser.errorStatus(), parser.errorReason());
 * }
 * }</pre>
 *
 * <p>One instance per connection; not thread-safe.
 */
public final class HttpRequestParser {
    private static final int START = 0;          // between requests
    private static final int HEAD_PARTIAL = 1;   // part of a head is in headBuffer
    private static final int BODY_FIXED = 2;
    private static final int BODY_CHUNKED = 3;
    private static final int END = 4;            // onEnd not yet delivered
    private static final int FAILED = 5;
    private static final int CLOSED = 6;         // a non-persistent request ended

    private final HttpLimits limits;
    private final HeadBuffer headBuffer = new HeadBuffer();
    private final HeadEndScanner headEnd = new HeadEndScanner();
    private final HttpRequestHead head = new HttpRequestHead(headBuffer);
    private final HeadParser headParser;
    private final RequestSemantics semantics;
    private final ChunkedDecoder chunked;

    private int state = START;
    private boolean headLive;                    // head belongs to a request not yet superseded
    private long bodyRemaining;
    private int errorStatus;
    private String errorReason;
    private ByteBuffer viewSource;               // the buffer bodyView was duplicated from
    private ByteBuffer bodyView;

    /** A parser with {@link HttpLimits#DEFAULT}. */
    public HttpRequestParser() {
        this(HttpLimits.DEFAULT);
    }

    public HttpRequestParser(HttpLimits limits) {
        this.limits = limits;
        this.headParser = new HeadParser(limits.maxHeaderCount());
        this.semantics = new RequestSemantics(limits.maxBodySize());
        this.chunked = new ChunkedDecoder(limits);
    }

    /**
     * Parses {@code in} from its position to its limit, calling {@code handler} along the way, and
     * advances the position past what was consumed.
     */
    public ParseResult feed(ByteBuffer in, HttpRequestHandler handler) {
        if (state == FAILED) return ParseResult.ERROR;
        if (state == CLOSED) return ParseResult.CLOSED;
        int pos = in.position();
        final int limit = in.limit();
        while (true) {
            switch (state) {
                case START -> {
                    // RFC 9112 §2.2: ignore empty lines before a request-line.
                    while (pos < limit && isLineBreak(in.get(pos))) pos++;
                    if (pos == limit) return needMore(in, limit);
                    headLive = false;
                    int end = (int) Math.min(limit, (long) pos + limits.maxHeadSize());
                    int r = headParser.parse(in, pos, end, head);
                    if (r == HeadParser.INCOMPLETE) {
                        if (end < limit) return failHeadTooLarge(in, pos);
                        return startPartialHead(in, pos, limit);
                    }
                    if (r < 0) return fail(in, pos, -r, headParser.failure());
                    pos = r;
                    if (!headComplete()) return fail(in, pos, errorStatus, errorReason);
                    if (!handler.onHead(head)) return pause(in, pos);
                }
                case HEAD_PARTIAL -> {
                    if (pos == limit) return needMore(in, limit);
                    int found = headEnd.scan(in, pos, limit);
                    if (found == HeadEndScanner.MALFORMED) return fail(in, pos, HttpStatus.BAD_REQUEST, "bare CR or LF");
                    int upTo = found < 0 ? limit : found;
                    if (headBuffer.length() + (upTo - pos) > limits.maxHeadSize()) return failHeadTooLarge(in, pos);
                    headBuffer.append(in, pos, upTo - pos);
                    pos = upTo;
                    if (found < 0) return needMore(in, limit);
                    int r = headParser.parse(headBuffer.view(), 0, headBuffer.length(), head);
                    if (r != headBuffer.length()) {
                        boolean syntax = r < 0 && r != HeadParser.INCOMPLETE;
                        return fail(in, pos, syntax ? -r : HttpStatus.BAD_REQUEST,
                                syntax ? headParser.failure() : "malformed head");
                    }
                    if (!headComplete()) return fail(in, pos, errorStatus, errorReason);
                    if (!handler.onHead(head)) return pause(in, pos);
                }
                case BODY_FIXED -> {
                    if (pos == limit) return needMore(in, limit);
                    int n = (int) Math.min(bodyRemaining, limit - pos);
                    bodyRemaining -= n;
                    if (bodyRemaining == 0) state = END;
                    boolean go = handler.onBody(bodyView(in, pos, n));
                    pos += n;
                    if (!go) return pause(in, pos);
                }
                case BODY_CHUNKED -> {
                    int r = chunked.next(in, pos, limit);
                    pos = chunked.position();
                    if (r > 0) {
                        if (!handler.onBody(bodyView(in, chunked.dataStart(), r))) return pause(in, pos);
                    } else if (r == ChunkedDecoder.NEED_MORE) {
                        return needMore(in, limit);
                    } else if (r == ChunkedDecoder.DONE) {
                        state = END;
                    } else {
                        return fail(in, pos, -r, chunked.failure());
                    }
                }
                case END -> {
                    boolean persistent = head.keepAlive;
                    state = persistent ? START : CLOSED;
                    if (!handler.onEnd()) return pause(in, pos);
                    if (!persistent) return closed(in, pos);
                }
                default -> throw new IllegalStateException("parser state " + state);
            }
        }
    }

    /** The status to answer after {@link ParseResult#ERROR} (400, 413, 431, 501 or 505), else 0. */
    public int errorStatus() {
        return errorStatus;
    }

    /** A short constant description of the error, for the log line; {@code null} without error. */
    public String errorReason() {
        return errorReason;
    }

    /** Whether the parser is between requests with nothing buffered (safe to close when idle). */
    public boolean isIdle() {
        return state == START;
    }

    /** Whether a request head has started but not completed (the header timeout applies). */
    public boolean isReadingHead() {
        return state == HEAD_PARTIAL;
    }

    /** The head of the current (or last) request; see {@link HttpRequestHead} for its lifetime. */
    public HttpRequestHead head() {
        return head;
    }

    /** The limits this parser enforces. */
    public HttpLimits limits() {
        return limits;
    }

    /** Forgets any partial request and error, ready for a new connection. */
    public void reset() {
        state = START;
        headLive = false;
        errorStatus = 0;
        errorReason = null;
        headBuffer.clear();
        headEnd.reset();
        viewSource = null;
        bodyView = null;
    }

    /** Bytes copied into the per-connection head buffer since creation (tests prove copy-once with it). */
    long headBytesCopied() {
        return headBuffer.bytesCopied();
    }

    private ParseResult startPartialHead(ByteBuffer in, int pos, int limit) {
        headBuffer.clear();
        headBuffer.append(in, pos, limit - pos);
        headEnd.reset();
        // The parse found neither the end nor an error in these bytes, so this only primes the scanner.
        if (headEnd.scan(in, pos, limit) != HeadEndScanner.NOT_YET) {
            return fail(in, pos, HttpStatus.BAD_REQUEST, "malformed head");
        }
        state = HEAD_PARTIAL;
        return needMore(in, limit);
    }

    /** Applies message semantics and picks the body framing; false (with the error set) to reject. */
    private boolean headComplete() {
        int status = semantics.apply(head);
        if (status != 0) {
            errorStatus = status;
            errorReason = semantics.failure();
            return false;
        }
        headLive = true;
        if (head.chunked) {
            chunked.reset();
            state = BODY_CHUNKED;
        } else if (head.contentLength > 0) {
            bodyRemaining = head.contentLength;
            state = BODY_FIXED;
        } else {
            state = END;
        }
        return true;
    }

    /** A reusable view of {@code in} limited to one body piece, so delivering it allocates nothing. */
    private ByteBuffer bodyView(ByteBuffer in, int offset, int length) {
        if (in != viewSource) {
            viewSource = in;
            bodyView = in.duplicate();
        }
        bodyView.limit(offset + length).position(offset);
        return bodyView;
    }

    private ParseResult needMore(ByteBuffer in, int limit) {
        in.position(limit);
        // The caller's buffer is about to be reused: keep a head whose request is still in progress.
        if (headLive && state != START) keepHead();
        return ParseResult.NEED_MORE;
    }

    private ParseResult pause(ByteBuffer in, int pos) {
        in.position(pos);
        if (headLive) keepHead();
        return ParseResult.PAUSED;
    }

    private ParseResult closed(ByteBuffer in, int pos) {
        in.position(pos);
        keepHead();   // the response to this last request may still be in progress
        return ParseResult.CLOSED;
    }

    private void keepHead() {
        if (!head.isStored()) head.detach();
    }

    private ParseResult failHeadTooLarge(ByteBuffer in, int pos) {
        return fail(in, pos, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head over the size limit");
    }

    private ParseResult fail(ByteBuffer in, int pos, int status, String reason) {
        state = FAILED;
        headLive = false;
        errorStatus = status;
        errorReason = reason;
        in.position(pos);
        return ParseResult.ERROR;
    }

    private static boolean isLineBreak(byte b) {
        return b == '\r' || b == '\n';
    }
}

package dev.gust.http.response;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Serialises a response head (status line, {@code Date}, headers, body framing, empty line) into a
 * {@link ByteBuffer}, allocating nothing: status lines are cached, the Date line is refreshed at
 * most once per second, and strings and numbers are encoded straight into the buffer.
 *
 * <pre>{@code
 * ResponseHeadWriter head = new ResponseHeadWriter(new DateHeader());   // one per loop
 * head.start(out, 200)
 *     .header("Content-Type", "text/plain")
 *     .contentLength(body.remaining())
 *     .end();
 * out.put(body);
 * }</pre>
 *
 * <p>Header names and values are validated (no CR/LF injection); invalid ones throw
 * {@link IllegalArgumentException}. A buffer too small throws {@link java.nio.BufferOverflowException}
 * with the head partly written: size buffers for the head, or rewind and retry. Not thread-safe.
 */
public final class ResponseHeadWriter {
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    /** Encoded lines of recently written headers, keyed by the identity of name and value (see {@link #header}). */
    private static final int LINE_CACHE = 8;

    private final DateHeader date;
    private ByteBuffer out;
    private final String[] cachedNames = new String[LINE_CACHE];
    private final CharSequence[] cachedValues = new CharSequence[LINE_CACHE];
    private final byte[][] cachedLines = new byte[LINE_CACHE][];
    private int nextCacheSlot;
    /** Pairs seen once: cached only when seen again, so values built per request never allocate a line. */
    private final String[] seenNames = new String[LINE_CACHE];
    private final CharSequence[] seenValues = new CharSequence[LINE_CACHE];
    private int nextSeenSlot;

    /** A writer that adds {@code date} to every head. */
    public ResponseHeadWriter(DateHeader date) {
        this.date = date;
    }

    /** Begins a head in {@code out}: the status line and the Date header. */
    public ResponseHeadWriter start(ByteBuffer out, int status) {
        this.out = out;
        StatusLines.write(out, status);
        date.write(out);
        return this;
    }

    /**
     * Continues a head begun with {@link #start} in {@code out} (the same buffer, or a larger copy of
     * it): lets one writer serve many connections whose heads are built in turns.
     */
    public ResponseHeadWriter resume(ByteBuffer out) {
        this.out = out;
        return this;
    }

    /** Adds {@code name: value}. */
    public ResponseHeadWriter header(String name, CharSequence value) {
        // Handlers pass the same constant strings on every request ("Content-Type", "text/plain"):
        // their validated, encoded line is copied in bulk instead of being checked char by char again.
        // Only String values are cached: a mutable CharSequence may change under the same reference.
        if (value instanceof String) {
            for (int i = 0; i < LINE_CACHE; i++) {
                if (cachedNames[i] == name && cachedValues[i] == value) {
                    out.put(cachedLines[i]);
                    return this;
                }
            }
        }
        int start = out.position();
        HeaderEncoding.putName(out, name);
        out.put((byte) ':').put((byte) ' ');
        HeaderEncoding.putValue(out, value);
        HeaderEncoding.putCrlf(out);
        if (value instanceof String) rememberIfRepeated(name, value, start);
        return this;
    }

    private void rememberIfRepeated(String name, CharSequence value, int start) {
        for (int i = 0; i < LINE_CACHE; i++) {
            if (seenNames[i] == name && seenValues[i] == value) {
                seenNames[i] = null;
                seenValues[i] = null;
                remember(name, value, start);
                return;
            }
        }
        int slot = nextSeenSlot;
        nextSeenSlot = (slot + 1) & (LINE_CACHE - 1);
        seenNames[slot] = name;
        seenValues[slot] = value;
    }

    private void remember(String name, CharSequence value, int start) {
        int slot = nextCacheSlot;
        nextCacheSlot = (slot + 1) & (LINE_CACHE - 1);
        byte[] line = new byte[out.position() - start];
        out.get(start, line);
        cachedNames[slot] = name;
        cachedValues[slot] = value;
        cachedLines[slot] = line;
    }

    /** Adds {@code name: value} for a non-negative number, without formatting it to a String. */
    public ResponseHeadWriter header(String name, long value) {
        HeaderEncoding.putName(out, name);
        out.put((byte) ':').put((byte) ' ');
        HeaderEncoding.putDecimal(out, value);
        HeaderEncoding.putCrlf(out);
        return this;
    }

    /** Adds {@code Content-Length: length}: the body follows as exactly that many bytes. */
    public ResponseHeadWriter contentLength(long length) {
        out.put(CONTENT_LENGTH);
        HeaderEncoding.putDecimal(out, length);
        HeaderEncoding.putCrlf(out);
        return this;
    }

    /** Adds {@code Transfer-Encoding: chunked}: write the body with {@link ChunkedEncoder}. */
    public ResponseHeadWriter chunked() {
        out.put(CHUNKED);
        return this;
    }

    /** Adds {@code Connection: close}: the connection ends after this response. */
    public ResponseHeadWriter connectionClose() {
        out.put(CONNECTION_CLOSE);
        return this;
    }

    /** Adds {@code Connection: keep-alive}, which an HTTP/1.0 client needs to keep the connection. */
    public ResponseHeadWriter connectionKeepAlive() {
        out.put(CONNECTION_KEEP_ALIVE);
        return this;
    }

    /** Ends the head with the empty line; the body, if any, goes next. */
    public void end() {
        HeaderEncoding.putCrlf(out);
        out = null;
    }

    /**
     * Writes a complete body-less error response that closes the connection, e.g. for
     * {@code parser.errorStatus()}: status line, Date, {@code Content-Length: 0}, {@code Connection: close}.
     */
    public void writeError(ByteBuffer out, int status) {
        start(out, status).contentLength(0).connectionClose().end();
    }

    /** Writes the interim {@code 100 Continue} response for a request that expects it. */
    public static void writeContinue(ByteBuffer out) {
        out.put(CONTINUE);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

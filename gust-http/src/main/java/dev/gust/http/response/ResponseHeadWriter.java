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

    private final DateHeader date;
    private ByteBuffer out;

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
        HeaderEncoding.putName(out, name);
        out.put((byte) ':').put((byte) ' ');
        HeaderEncoding.putValue(out, value);
        HeaderEncoding.putCrlf(out);
        return this;
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

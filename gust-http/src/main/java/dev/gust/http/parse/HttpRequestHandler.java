package dev.gust.http.parse;

import java.nio.ByteBuffer;

/**
 * Receives the parts of each request as {@link HttpRequestParser} finds them. Every callback
 * returns {@code true} to keep parsing or {@code false} to pause the parser right after it (to
 * take over the connection on an upgrade, or to stop at one request while a response is pending).
 *
 * <pre>{@code
 * HttpRequestHandler handler = new HttpRequestHandler() {
 *     public boolean onHead(HttpRequestHead head) { route(head); return true; }
 *     public boolean onBody(ByteBuffer chunk) { sink.write(chunk); return true; }
 *     public boolean onEnd() { respond(); return true; }
 * };
 * }</pre>
 */
public interface HttpRequestHandler {
    /** A complete, validated request head; see {@link HttpRequestHead} for how long it stays valid. */
    boolean onHead(HttpRequestHead head);

    /**
     * A piece of the decoded body: a view of the input buffer (no copy), valid only during this
     * call. Read it or copy it; do not keep it.
     */
    default boolean onBody(ByteBuffer chunk) {
        return true;
    }

    /** The request (body and trailers included) is complete. */
    default boolean onEnd() {
        return true;
    }
}

package dev.gust.http;

import java.nio.ByteBuffer;

/**
 * Receives a request body piece by piece on the loop thread, as it arrives.
 *
 * <pre>{@code
 * server.post("/upload", (req, res) -> {
 *     var size = new long[1];
 *     req.onData((chunk, last) -> {
 *         size[0] += chunk.remaining();
 *         if (last) res.end("got " + size[0] + " bytes");
 *     });
 * });
 * }</pre>
 */
@FunctionalInterface
public interface BodyHandler {
    /**
     * @param chunk a view of the loop's receive buffer, valid only during this call (copy what you keep)
     * @param last  true for the final call (its chunk may be empty)
     */
    void onData(ByteBuffer chunk, boolean last) throws Exception;
}

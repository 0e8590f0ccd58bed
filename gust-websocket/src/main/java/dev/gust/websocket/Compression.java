package dev.gust.websocket;

/**
 * How a WebSocket route compresses what it sends with permessage-deflate (RFC 7692). The
 * extension is used only when the client offers it; otherwise the connection is uncompressed.
 * Decompression of what clients send is chosen separately with
 * {@link WebSocketBehavior.Builder#dedicatedDecompressor(boolean)}.
 *
 * <pre>{@code
 * WebSocketBehavior.builder().compression(Compression.SHARED).build();
 * }</pre>
 *
 * <p>Messages shorter than {@link WebSocketBehavior.Builder#compressionThreshold(int)} (default
 * {@value WebSocketBehavior#DEFAULT_COMPRESSION_THRESHOLD} bytes) are sent uncompressed: below it
 * deflate saved under 5% of the bytes for about 2-3 µs of CPU per message (measured on JSON chat
 * messages, java.util.zip level 6).
 */
public enum Compression {
    /** No compression (the default): the extension is declined. */
    OFF,
    /**
     * One compressor per loop, reset after every message: no per-connection memory. Negotiates
     * {@code server_no_context_takeover}. A publish is compressed once for all such subscribers.
     */
    SHARED,
    /**
     * A compressor per connection with context takeover (unless the client asks for
     * {@code server_no_context_takeover}): better ratio on streams of similar messages. The window
     * is 15 bits (32 KiB), the only one java.util.zip's raw deflate offers; per connection it
     * costs about 260 KiB of native memory, created on the first compressed send. A publish is
     * compressed separately for each such subscriber (its window is its own). A client offering
     * only {@code server_max_window_bits} below 15 gets no compression (see
     * {@link dev.gust.websocket.deflate.ServerNegotiation}).
     */
    DEDICATED
}

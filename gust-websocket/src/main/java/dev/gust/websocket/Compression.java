package dev.gust.websocket;

/**
 * permessage-deflate (RFC 7692) settings of a WebSocket route.
 *
 * <p>Status: negotiation and compression arrive with the permessage-deflate work; until then every
 * value behaves as {@link #OFF} (the extension is declined, which every client accepts).
 */
public enum Compression {
    /** No compression (the default). */
    OFF,
    /** One compressor per loop, reset per message: no per-connection memory. */
    SHARED,
    /** A compressor per connection with context takeover: better ratio, ~300 KiB per connection. */
    DEDICATED
}

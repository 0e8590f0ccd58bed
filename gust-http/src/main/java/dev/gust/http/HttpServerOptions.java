package dev.gust.http;

import java.time.Duration;

/**
 * Settings of an {@link HttpServer}.
 *
 * <pre>{@code
 * HttpServer.create(HttpServerOptions.defaults().withIdleTimeout(Duration.ofSeconds(30)));
 * }</pre>
 *
 * @param limits           request size limits (head 8 KiB, body 1 MiB by default)
 * @param idleTimeout      a keep-alive connection with no request in progress is closed after this
 * @param headerTimeout    a request head must arrive completely within this (else 408 and close)
 * @param maxBufferedBytes response bytes one connection may hold for a slow client before it is closed
 * @param shutdownGrace    how long {@link HttpServer#close()} waits for in-flight requests
 */
public record HttpServerOptions(HttpLimits limits, Duration idleTimeout, Duration headerTimeout, long maxBufferedBytes,
                                Duration shutdownGrace) {

    public static HttpServerOptions defaults() {
        return new HttpServerOptions(HttpLimits.DEFAULT, Duration.ofSeconds(10), Duration.ofSeconds(10), 16L << 20,
                Duration.ofSeconds(10));
    }

    public HttpServerOptions withLimits(HttpLimits l) {
        return new HttpServerOptions(l, idleTimeout, headerTimeout, maxBufferedBytes, shutdownGrace);
    }

    public HttpServerOptions withIdleTimeout(Duration d) {
        return new HttpServerOptions(limits, d, headerTimeout, maxBufferedBytes, shutdownGrace);
    }

    public HttpServerOptions withHeaderTimeout(Duration d) {
        return new HttpServerOptions(limits, idleTimeout, d, maxBufferedBytes, shutdownGrace);
    }

    public HttpServerOptions withMaxBufferedBytes(long max) {
        return new HttpServerOptions(limits, idleTimeout, headerTimeout, max, shutdownGrace);
    }

    public HttpServerOptions withShutdownGrace(Duration d) {
        return new HttpServerOptions(limits, idleTimeout, headerTimeout, maxBufferedBytes, d);
    }
}

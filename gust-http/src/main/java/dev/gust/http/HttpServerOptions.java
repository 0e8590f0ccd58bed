package dev.gust.http;

import java.time.Duration;

/**
 * Settings of an {@link HttpServer}.
 *
 * <pre>{@code
 * HttpServer.create(HttpServerOptions.defaults().withIdleTimeout(Duration.ofSeconds(30)));
 * HttpServer.create(HttpServerOptions.defaults().withLoops(4));   // four loop threads, one port
 * }</pre>
 *
 * @param limits           request size limits (head 8 KiB, body 1 MiB by default)
 * @param idleTimeout      a keep-alive connection with no request in progress is closed after this
 * @param headerTimeout    a request head must arrive completely within this (else 408 and close)
 * @param maxBufferedBytes response bytes one connection may hold for a slow client before it is closed
 * @param shutdownGrace    how long {@link HttpServer#close()} waits for in-flight requests
 * @param loops            loop threads of a server that creates its own loops (default 1, like one
 *                         uWebSockets app per thread); ignored when the loops are given to
 *                         {@link HttpServer#create(dev.gust.loop.LoopGroup, HttpServerOptions)}
 */
public record HttpServerOptions(HttpLimits limits, Duration idleTimeout, Duration headerTimeout, long maxBufferedBytes,
                                Duration shutdownGrace, int loops) {

    public HttpServerOptions {
        if (loops < 1) throw new IllegalArgumentException("loops must be at least 1, got " + loops);
    }

    public static HttpServerOptions defaults() {
        return new HttpServerOptions(HttpLimits.DEFAULT, Duration.ofSeconds(10), Duration.ofSeconds(10), 16L << 20,
                Duration.ofSeconds(10), 1);
    }

    public HttpServerOptions withLimits(HttpLimits l) {
        return new HttpServerOptions(l, idleTimeout, headerTimeout, maxBufferedBytes, shutdownGrace, loops);
    }

    public HttpServerOptions withIdleTimeout(Duration d) {
        return new HttpServerOptions(limits, d, headerTimeout, maxBufferedBytes, shutdownGrace, loops);
    }

    public HttpServerOptions withHeaderTimeout(Duration d) {
        return new HttpServerOptions(limits, idleTimeout, d, maxBufferedBytes, shutdownGrace, loops);
    }

    public HttpServerOptions withMaxBufferedBytes(long max) {
        return new HttpServerOptions(limits, idleTimeout, headerTimeout, max, shutdownGrace, loops);
    }

    public HttpServerOptions withShutdownGrace(Duration d) {
        return new HttpServerOptions(limits, idleTimeout, headerTimeout, maxBufferedBytes, d, loops);
    }

    /**
     * Serves on {@code n} loop threads that share the port (SO_REUSEPORT: the kernel spreads new
     * connections over them). Each loop keeps its own connections; handlers of one connection
     * always run on the same loop.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public HttpServerOptions withLoops(int n) {
        return new HttpServerOptions(limits, idleTimeout, headerTimeout, maxBufferedBytes, shutdownGrace, n);
    }
}

package dev.gust.loop.spi;

import java.io.IOException;

/**
 * A way of doing I/O for a {@link dev.gust.loop.Loop}: the portable NIO transport, or a native one.
 *
 * <p>The SPI is deliberately narrow: a poller that waits for readiness and a handle per file
 * descriptor with the few operations the loop core needs. Everything above it (buffering, corking,
 * timeouts, TLS) is written once in the loop core.
 */
public interface Transport {
    /** A short name for logs and the command line, for example {@code "nio"}. */
    String name();

    /** Opens a poller that reports readiness to {@code sink}; one per loop, used only by its thread. */
    Poller openPoller(Readiness sink) throws IOException;
}

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

    /**
     * True when several listeners can share one port with SO_REUSEPORT (the kernel then balances
     * connections between them). Without it a loop group falls back to one accepting loop.
     */
    default boolean supportsReusePort() {
        return true;
    }

    /**
     * True when its handles implement {@link IoHandle#detach()} and its pollers
     * {@link Poller#adopt}, so sockets can move between loops. False by default for other transports.
     */
    default boolean supportsHandOff() {
        return false;
    }
}

package dev.gust.loop.nio;

import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.io.IOException;

/** The portable transport: one {@link java.nio.channels.Selector} per loop. Works everywhere the JDK does. */
public final class NioTransport implements Transport {
    public static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {}

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Poller openPoller(Readiness sink) throws IOException {
        return new NioPoller(sink);
    }
}

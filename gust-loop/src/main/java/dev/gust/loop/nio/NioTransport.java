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
    public boolean supportsHandOff() {
        return true;
    }

    @Override
    public String name() {
        return "nio";
    }

    /** Whether this platform's NIO offers SO_REUSEPORT (Linux, macOS, BSD do; Windows does not). */
    private static final boolean REUSE_PORT = probeReusePort();

    private static boolean probeReusePort() {
        try (var ch = java.nio.channels.ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean supportsReusePort() {
        return REUSE_PORT;
    }

    @Override
    public Poller openPoller(Readiness sink) throws IOException {
        return new NioPoller(sink);
    }
}

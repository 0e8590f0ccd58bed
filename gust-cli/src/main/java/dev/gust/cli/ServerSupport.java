package dev.gust.cli;

import dev.gust.loop.Loop;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** What every server subcommand needs: clear bind errors and a clean stop on SIGINT/SIGTERM. */
final class ServerSupport {
    private ServerSupport() {}

    /** Runs {@code listen}; on failure prints a clear error and returns null. */
    static <T> T listenOrExplain(Supplier<T> listen, String host, int port) {
        try {
            return listen.get();
        } catch (UncheckedIOException e) {
            System.err.println("gust: cannot listen on " + host + ":" + port + ": " + e.getCause().getMessage());
            return null;
        }
    }

    /** Closes the loop (and with it every connection, cleanly) when the JVM is asked to stop. */
    static void closeOnSignal(Loop loop) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            System.err.println("gust: stopping");
            loop.close();
        }));
    }
}

package dev.gust.cli;

import dev.gust.websocket.App;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** What every server subcommand needs: clear bind errors, a clean stop on SIGINT/SIGTERM, and waiting. */
final class ServerSupport {
    static final byte[] HELLO_BYTES = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

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

    /** Selects the loop transport before any loop exists; on a bad name prints a clear error and returns false. */
    static boolean chooseTransport(String name) {
        if (name == null) return true;
        if (!java.util.Set.of("nio", "epoll", "io_uring").contains(name)) {
            System.err.println("gust: unknown --transport " + name + " (use nio, epoll or io_uring)");
            return false;
        }
        System.setProperty("gust.transport", name);
        return true;
    }

    /** The {@code --compression} help text, shared by every server subcommand. */
    static final String COMPRESSION_HELP = "permessage-deflate: off | shared (one compressor per loop, "
            + "no per-connection memory) | dedicated (a compressor per connection, context takeover) "
            + "(default: ${DEFAULT-VALUE})";

    /**
     * The WebSocket compression for {@code --compression}: off, shared or dedicated (any case); on
     * another value prints a clear error and returns null.
     */
    static dev.gust.websocket.Compression chooseCompression(String command, String value) {
        try {
            return dev.gust.websocket.Compression.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("gust " + command + ": --compression must be off, shared or dedicated, not '" + value + "'");
            return null;
        }
    }

    /** The {@code --loops} help text, shared by every server subcommand. */
    static final String LOOPS_HELP = "Loop threads serving the port (SO_REUSEPORT: the kernel spreads connections "
            + "over them; pub/sub reaches subscribers on every loop). Default: one per available processor.";

    /**
     * The loop count for {@code --loops}: the given value, or one per available processor when absent;
     * on a value below 1 prints a clear error and returns -1.
     */
    static int chooseLoops(Integer loops) {
        if (loops == null) return dev.gust.loop.LoopGroup.defaultSize();
        if (loops < 1) {
            System.err.println("gust: --loops must be at least 1, not " + loops);
            return -1;
        }
        return loops;
    }

    /** Serves HTTPS/WSS when {@code --tls-cert}/{@code --tls-key} were given; on bad files prints a clear error and returns false. */
    static boolean applyTls(App app, TlsMixin tls) {
        try {
            dev.gust.loop.TlsOptions options = tls.options();
            if (options != null) app.http().tls(options);
            return true;
        } catch (TlsMixin.Failed e) {
            System.err.println("gust: " + e.getMessage());
            return false;
        }
    }

    /** Attaches a Redis backplane; on failure prints a clear error and returns false. */
    static boolean joinCluster(App app, String redisUri) {
        try {
            app.backplane(dev.gust.redis.RedisBackplane.connect(redisUri));
            return true;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("gust: " + e.getMessage());
            return false;
        }
    }

    /** Runs {@code close} (a graceful shutdown) when the JVM is asked to stop. */
    static void closeOnSignal(Runnable close) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            System.err.println("gust: stopping");
            close.run();
        }));
    }

    /** Blocks the main thread until every loop of the app has closed. */
    static void awaitClose(App app) {
        try {
            for (dev.gust.loop.Loop loop : app.loops()) {
                while (!loop.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
                    // keep waiting
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

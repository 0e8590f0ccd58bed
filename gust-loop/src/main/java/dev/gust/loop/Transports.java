package dev.gust.loop;

import dev.gust.loop.linux.EpollTransport;
import dev.gust.loop.linux.UringTransport;
import dev.gust.loop.nio.NioTransport;
import dev.gust.loop.spi.Transport;
import java.util.Locale;

/**
 * Chooses the transport {@link LoopOptions#defaults()} uses.
 *
 * <p>The system property {@value #PROPERTY} selects one explicitly: {@code nio}, {@code epoll} or
 * {@code io_uring}. Without it, epoll is chosen on Linux when its native calls work and native access
 * is enabled ({@code --enable-native-access=ALL-UNNAMED}); otherwise NIO. When the chosen or requested
 * native transport cannot be used, NIO is used instead and one log line says why.
 *
 * <p>Why epoll and not io_uring by default: behind this readiness SPI both make one syscall per loop
 * pass to wait and plain syscalls to read and write, and they measured the same (EchoBenchmark,
 * 64 connections ping-ponging 1 KiB, median of 5 interleaved rounds on a busy 2-core box: NIO 46.7k,
 * epoll 45.8k, io_uring 43.6k round trips/s; 15.1 / 14.7 / 17.3 us CPU per round trip; run-to-run
 * noise about 30%). epoll is simpler, maps 1:1 onto level-triggered readiness, and is never
 * disabled by container seccomp profiles or {@code kernel.io_uring_disabled}, as io_uring often is.
 * What the native transports do win is memory: about 340 heap bytes per idle socket against about
 * 920 with NIO, and no allocation on the I/O path.
 */
public final class Transports {
    /** The system property that selects a transport. */
    public static final String PROPERTY = "gust.transport";

    private static final System.Logger LOG = System.getLogger("dev.gust.loop.Transports");
    private static volatile Transport best;

    private Transports() {}

    /** The transport for this JVM (decided once). */
    public static Transport best() {
        Transport t = best;
        if (t == null) {
            synchronized (Transports.class) {
                if ((t = best) == null) best = t = choose(System.getProperty(PROPERTY));
            }
        }
        return t;
    }

    /** The transport with that name ({@code nio}, {@code epoll}, {@code io_uring}); null when it cannot run here. */
    public static Transport named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nio" -> NioTransport.INSTANCE;
            case "epoll" -> EpollTransport.isAvailable() ? EpollTransport.INSTANCE : null;
            case "io_uring", "iouring", "uring" -> UringTransport.isAvailable() ? UringTransport.INSTANCE : null;
            default -> null;
        };
    }

    private static Transport choose(String requested) {
        if (requested != null && !requested.isBlank()) {
            Transport t = named(requested.strip());
            if (t != null) return t;
            LOG.log(System.Logger.Level.WARNING, "gust: transport ''{0}'' ({1}={0}) is not available here ({2}); using nio",
                    requested, PROPERTY, why(requested));
            return NioTransport.INSTANCE;
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) return NioTransport.INSTANCE;
        // Checked first: probing epoll would make the JVM print its restricted-method warning.
        if (!Transports.class.getModule().isNativeAccessEnabled()) {
            LOG.log(System.Logger.Level.INFO, "gust: using nio; run java with --enable-native-access=ALL-UNNAMED "
                    + "to use the faster epoll transport (or -D{0}=nio to silence this)", PROPERTY);
            return NioTransport.INSTANCE;
        }
        if (!EpollTransport.isAvailable()) {
            LOG.log(System.Logger.Level.INFO, "gust: epoll transport unavailable ({0}); using nio",
                    EpollTransport.unavailabilityCause());
            return NioTransport.INSTANCE;
        }
        return EpollTransport.INSTANCE;
    }

    private static String why(String requested) {
        return switch (requested.strip().toLowerCase(Locale.ROOT)) {
            case "epoll" -> String.valueOf(EpollTransport.unavailabilityCause());
            case "io_uring", "iouring", "uring" -> String.valueOf(UringTransport.unavailabilityCause());
            default -> "unknown name; use nio, epoll or io_uring";
        };
    }
}

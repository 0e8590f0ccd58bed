package dev.gust.loop.linux;

import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.io.IOException;
import java.lang.foreign.Arena;

/** The Linux io_uring transport; see the {@linkplain dev.gust.loop.linux package} documentation. */
public final class UringTransport implements Transport {
    public static final UringTransport INSTANCE = new UringTransport();

    private static final Throwable UNAVAILABLE = probe();

    private UringTransport() {}

    /** True when this JVM runs on 64-bit Linux and an io_uring can be set up (not disabled by sysctl or seccomp). */
    public static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    /** Why {@link #isAvailable()} is false, or null. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    private static Throwable probe() {
        String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux")) return new UnsupportedOperationException("not Linux (" + os + ")");
        if (!arch.equals("amd64") && !arch.equals("aarch64")) {
            return new UnsupportedOperationException("unsupported architecture " + arch);
        }
        try (Arena arena = Arena.ofConfined()) {
            var err = arena.allocate(LibC.CAPTURE_LAYOUT);
            new Uring(arena, err, 4).close();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Override
    public boolean supportsHandOff() {
        return true;
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Poller openPoller(Readiness sink) throws IOException {
        if (UNAVAILABLE != null) throw new IOException("io_uring transport unavailable: " + UNAVAILABLE, UNAVAILABLE);
        return new UringPoller(sink);
    }
}

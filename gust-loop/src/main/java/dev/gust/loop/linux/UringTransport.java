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
    /** Null when multishot recv into a provided-buffer ring works here (Linux 6.0+), else why not. */
    private static final Throwable NO_RECV_BY_COMPLETION = UNAVAILABLE != null ? UNAVAILABLE : probeRecv();

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

    /**
     * Registers a small provided-buffer ring on a throw-away ring: kernels before 5.19 refuse, and the
     * poller then receives with readiness + read(2) instead of multishot recv.
     */
    private static Throwable probeRecv() {
        try (Arena arena = Arena.ofConfined()) {
            var err = arena.allocate(LibC.CAPTURE_LAYOUT);
            Uring ring = new Uring(arena, err, 4);
            try {
                new BufferRing(ring, err, 0, 2, 4096).close(true);
            } finally {
                ring.close();
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** True when sockets receive by completion (multishot recv into provided buffers), not readiness + read(2). */
    public static boolean receivesByCompletion() {
        return NO_RECV_BY_COMPLETION == null && UringPoller.COMPLETION_RECV;
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

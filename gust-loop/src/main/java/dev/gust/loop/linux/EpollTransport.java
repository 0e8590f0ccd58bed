package dev.gust.loop.linux;

import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import dev.gust.loop.spi.Transport;
import java.io.IOException;
import java.lang.foreign.Arena;

/** The Linux epoll transport; see the {@linkplain dev.gust.loop.linux package} documentation. */
public final class EpollTransport implements Transport {
    public static final EpollTransport INSTANCE = new EpollTransport();

    private static final Throwable UNAVAILABLE = probe();

    private EpollTransport() {}

    /** True when this JVM runs on 64-bit Linux and libc's epoll functions can be called. */
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
            var err = arena.allocate(LibC.CAPTURE_LAYOUT); // also links every binding (class init)
            int ep = LibC.epollCreate1(err, LibC.EPOLL_CLOEXEC);
            if (ep < 0) return new IOException("epoll_create1: " + LibC.strerror(LibC.errno(err)));
            LibC.close(err, ep);
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
        return "epoll";
    }

    @Override
    public Poller openPoller(Readiness sink) throws IOException {
        if (UNAVAILABLE != null) throw new IOException("epoll transport unavailable: " + UNAVAILABLE, UNAVAILABLE);
        return new EpollPoller(sink);
    }
}

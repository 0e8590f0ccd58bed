package dev.gust.loop;

import dev.gust.loop.spi.Transport;
import java.time.Duration;

/**
 * Settings of a {@link Loop}. Start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * Loop loop = Loop.create(LoopOptions.defaults().withName("io-1").withReadBufferSize(256 * 1024));
 * }</pre>
 *
 * @param transport       how I/O is done: {@link Transports#best()} by default (epoll on Linux, else NIO)
 * @param name            the loop thread's name when started with {@link Loop#start()}
 * @param readBufferSize  size of the one receive buffer all sockets of the loop read into; also the
 *                        read budget: a socket gets at most one read of this size per loop pass
 * @param corkBufferSize  size of the one buffer that batches a socket's small writes into one syscall
 * @param wheelTick       resolution of coarse timers (socket timeouts)
 * @param wheelSlots      slots of the timer wheel (a power of two)
 * @param writeBudget     bytes a socket may hand to the kernel per loop pass: once past it, further
 *                        writes in that pass are kept (write returns false) and go out in a later pass,
 *                        with {@link SocketHandler#onWritable} after, so a socket whose drain callback
 *                        writes as long as the kernel takes cannot hold the loop
 */
public record LoopOptions(Transport transport, String name, int readBufferSize, int corkBufferSize,
                          Duration wheelTick, int wheelSlots, int writeBudget) {

    public LoopOptions {
        if (transport == null) throw new IllegalArgumentException("transport is required");
        if (readBufferSize < 1024) throw new IllegalArgumentException("readBufferSize must be >= 1024");
        if (corkBufferSize < 512) throw new IllegalArgumentException("corkBufferSize must be >= 512");
        if (wheelTick.isNegative() || wheelTick.isZero()) throw new IllegalArgumentException("wheelTick must be positive");
        if (Integer.bitCount(wheelSlots) != 1) throw new IllegalArgumentException("wheelSlots must be a power of two");
        if (writeBudget < 1024) throw new IllegalArgumentException("writeBudget must be >= 1024");
    }

    /** Options with the default write budget (1 MiB). */
    public LoopOptions(Transport transport, String name, int readBufferSize, int corkBufferSize,
                       Duration wheelTick, int wheelSlots) {
        this(transport, name, readBufferSize, corkBufferSize, wheelTick, wheelSlots, DEFAULT_WRITE_BUDGET);
    }

    private static final int DEFAULT_WRITE_BUDGET = 1 << 20;

    /**
     * {@link Transports#best()}, 512 KiB receive buffer (read budget), 16 KiB cork buffer,
     * 100 ms x 1024 timer wheel, 1 MiB write budget per socket and pass.
     */
    public static LoopOptions defaults() {
        return new LoopOptions(Transports.best(), null, 512 * 1024, 16 * 1024, Duration.ofMillis(100), 1024,
                DEFAULT_WRITE_BUDGET);
    }

    public LoopOptions withTransport(Transport t) {
        return new LoopOptions(t, name, readBufferSize, corkBufferSize, wheelTick, wheelSlots, writeBudget);
    }

    public LoopOptions withName(String n) {
        return new LoopOptions(transport, n, readBufferSize, corkBufferSize, wheelTick, wheelSlots, writeBudget);
    }

    public LoopOptions withReadBufferSize(int size) {
        return new LoopOptions(transport, name, size, corkBufferSize, wheelTick, wheelSlots, writeBudget);
    }

    public LoopOptions withCorkBufferSize(int size) {
        return new LoopOptions(transport, name, readBufferSize, size, wheelTick, wheelSlots, writeBudget);
    }

    public LoopOptions withWheel(Duration tick, int slots) {
        return new LoopOptions(transport, name, readBufferSize, corkBufferSize, tick, slots, writeBudget);
    }

    /** Bytes per socket and loop pass that go to the kernel before further writes wait for a later pass. */
    public LoopOptions withWriteBudget(int bytes) {
        return new LoopOptions(transport, name, readBufferSize, corkBufferSize, wheelTick, wheelSlots, bytes);
    }
}

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
 * @param readBufferSize  size of the one receive buffer all sockets of the loop read into
 * @param corkBufferSize  size of the one buffer that batches a socket's small writes into one syscall
 * @param wheelTick       resolution of coarse timers (socket timeouts)
 * @param wheelSlots      slots of the timer wheel (a power of two)
 */
public record LoopOptions(Transport transport, String name, int readBufferSize, int corkBufferSize,
                          Duration wheelTick, int wheelSlots) {

    public LoopOptions {
        if (transport == null) throw new IllegalArgumentException("transport is required");
        if (readBufferSize < 1024) throw new IllegalArgumentException("readBufferSize must be >= 1024");
        if (corkBufferSize < 512) throw new IllegalArgumentException("corkBufferSize must be >= 512");
        if (wheelTick.isNegative() || wheelTick.isZero()) throw new IllegalArgumentException("wheelTick must be positive");
        if (Integer.bitCount(wheelSlots) != 1) throw new IllegalArgumentException("wheelSlots must be a power of two");
    }

    /** {@link Transports#best()}, 512 KiB receive buffer, 16 KiB cork buffer, 100 ms x 1024 timer wheel. */
    public static LoopOptions defaults() {
        return new LoopOptions(Transports.best(), null, 512 * 1024, 16 * 1024, Duration.ofMillis(100), 1024);
    }

    public LoopOptions withTransport(Transport t) {
        return new LoopOptions(t, name, readBufferSize, corkBufferSize, wheelTick, wheelSlots);
    }

    public LoopOptions withName(String n) {
        return new LoopOptions(transport, n, readBufferSize, corkBufferSize, wheelTick, wheelSlots);
    }

    public LoopOptions withReadBufferSize(int size) {
        return new LoopOptions(transport, name, size, corkBufferSize, wheelTick, wheelSlots);
    }

    public LoopOptions withCorkBufferSize(int size) {
        return new LoopOptions(transport, name, readBufferSize, size, wheelTick, wheelSlots);
    }

    public LoopOptions withWheel(Duration tick, int slots) {
        return new LoopOptions(transport, name, readBufferSize, corkBufferSize, tick, slots);
    }
}

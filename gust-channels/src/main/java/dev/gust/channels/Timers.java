package dev.gust.channels;

import java.time.Duration;
import java.time.Instant;

/**
 * Go's {@code time.After} and {@code time.Tick}: channels fed by the shared timer wheel.
 *
 * <pre>{@code
 * var ticks = Timers.tick(Duration.ofMillis(100));
 * var stop = Timers.after(Duration.ofSeconds(1));
 * var done = new AtomicBoolean();
 * while (!done.get()) {
 *     select(ticks.onReceive(t -> poll()),
 *            stop.onReceive(t -> done.set(true)));
 * }
 * ticks.close();   // stops the ticker
 * }</pre>
 */
public final class Timers {
    private Timers() {
    }

    /** A channel (capacity 1) that receives the current time once, after {@code delay}. */
    public static Channel<Instant> after(Duration delay) {
        Channel<Instant> ch = Channel.bounded(1);
        TimerWheel.shared().schedule(Channel.toNanos(delay), () -> {
            ch.trySend(Instant.now());
        });
        return ch;
    }

    /**
     * A channel that receives the current time every {@code period}. Like Go's ticker it buffers
     * one tick and drops ticks a slow receiver misses. Close the channel to stop the ticker.
     */
    public static Channel<Instant> tick(Duration period) {
        long nanos = Channel.toNanos(period);
        if (nanos <= 0) {
            throw new IllegalArgumentException("non-positive period: " + period);
        }
        Channel<Instant> ch = Channel.bounded(1);
        new Ticker(ch, nanos).arm(System.nanoTime() + nanos);
        return ch;
    }

    private record Ticker(Channel<Instant> ch, long period) {
        void arm(long deadline) {
            TimerWheel.shared().scheduleAt(deadline, () -> {
                if (ch.isClosedForSend()) {
                    return;
                }
                try {
                    ch.trySend(Instant.now());
                } catch (ChannelClosedException closedMeanwhile) {
                    return;
                }
                long next = deadline + period;
                long now = System.nanoTime();
                if (next - now < 0) { // fell behind: skip missed ticks
                    next = now + period - Math.floorMod(now - deadline, period);
                }
                arm(next);
            });
        }
    }
}

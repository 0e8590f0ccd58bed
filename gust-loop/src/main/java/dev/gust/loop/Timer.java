package dev.gust.loop;

import java.time.Duration;

/**
 * A one-shot or repeating timer owned by a {@link Loop}; its callback runs on the loop thread.
 *
 * <p>Two kinds share this interface: {@link Loop#timer(Runnable) precise timers} (a binary heap,
 * fired at their exact deadline) and {@link Loop#coarseTimer(Runnable) coarse timers} (a hashed
 * wheel with O(1) arm and cancel, fired within one wheel tick after their deadline; right for the
 * many timeouts that are almost always cancelled). Re-arming either kind allocates nothing.
 *
 * <pre>{@code
 * Timer t = loop.timer(() -> System.out.println("tick"));
 * t.schedule(Duration.ofMillis(100), Duration.ofMillis(100)); // every 100 ms
 * t.cancel();
 * }</pre>
 *
 * <p>Loop thread only (or before the loop runs).
 */
public interface Timer {
    /** Arms a one-shot timer, replacing any earlier schedule. */
    void schedule(Duration delay);

    /** Arms a repeating timer: first after {@code delay}, then every {@code period}. */
    void schedule(Duration delay, Duration period);

    /** Arms again with the last delay and period, as if scheduled now. */
    void reset();

    /** Disarms; the callback will not run until scheduled again. */
    void cancel();

    /** True while armed. */
    boolean isActive();
}

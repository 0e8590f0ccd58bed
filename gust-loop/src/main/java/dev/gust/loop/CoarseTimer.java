package dev.gust.loop;

import java.time.Duration;

/** A timer on the loop's {@link TimerWheel}: O(1) arm and cancel, fires within one tick of its deadline. */
final class CoarseTimer extends TimerWheel.Entry implements Timer {
    private final Loop loop;
    private final Runnable callback;
    private long delayNanos;
    private long periodNanos;

    CoarseTimer(Loop loop, Runnable callback) {
        this.loop = loop;
        this.callback = callback;
    }

    @Override
    public void schedule(Duration delay) {
        schedule(delay.toNanos(), 0);
    }

    @Override
    public void schedule(Duration delay, Duration period) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive: " + period);
        schedule(delay.toNanos(), period.toNanos());
    }

    private void schedule(long delay, long period) {
        loop.checkThread("Timer.schedule");
        delayNanos = Math.max(0, delay);
        periodNanos = period;
        loop.wheel.arm(this, delayNanos, System.nanoTime());
    }

    @Override
    public void reset() {
        schedule(delayNanos, periodNanos);
    }

    @Override
    public void cancel() {
        loop.checkThread("Timer.cancel");
        loop.wheel.cancel(this);
    }

    @Override
    public boolean isActive() {
        return linked;
    }

    @Override
    void expire() {
        if (periodNanos > 0) loop.wheel.arm(this, periodNanos, System.nanoTime());
        loop.runGuarded(callback, "coarse timer");
    }
}

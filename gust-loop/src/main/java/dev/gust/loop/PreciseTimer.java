package dev.gust.loop;

import java.time.Duration;

/** A timer kept in the loop's {@link TimerHeap}; fires at its exact deadline. */
final class PreciseTimer implements Timer {
    final Loop loop;
    final Runnable callback;
    long deadline;      // System.nanoTime() value
    long periodNanos;   // 0 for one-shot
    long delayNanos;
    int heapIndex = -1; // position in the heap, -1 when not armed
    LoopScheduledTask<?> task; // set when this timer drives an executor task

    PreciseTimer(Loop loop, Runnable callback) {
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

    void schedule(long delay, long period) {
        loop.checkThread("Timer.schedule");
        delayNanos = Math.max(0, delay);
        periodNanos = period;
        loop.timers.remove(this);
        deadline = System.nanoTime() + delayNanos;
        loop.timers.add(this);
    }

    @Override
    public void reset() {
        schedule(delayNanos, periodNanos);
    }

    @Override
    public void cancel() {
        loop.checkThread("Timer.cancel");
        loop.timers.remove(this);
    }

    @Override
    public boolean isActive() {
        return heapIndex >= 0;
    }
}

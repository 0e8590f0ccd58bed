package dev.gust.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task of the loop's {@link java.util.concurrent.ScheduledExecutorService} face, run by a
 * precise timer. {@code period > 0} is fixed rate, {@code period < 0} fixed delay.
 */
final class LoopScheduledTask<V> extends FutureTask<V> implements ScheduledFuture<V>, Runnable {
    private final Loop loop;
    private final long delayNanos;
    private final long period;
    private final PreciseTimer timer;
    private volatile long deadline;

    LoopScheduledTask(Loop loop, Callable<V> callable, long delayNanos, long period) {
        super(callable);
        this.loop = loop;
        this.delayNanos = delayNanos;
        this.period = period;
        this.timer = new PreciseTimer(loop, this::fire);
        this.timer.task = this;
        this.deadline = System.nanoTime() + delayNanos;
    }

    boolean isPeriodic() {
        return period != 0;
    }

    /** Loop thread: puts the task on the timer heap. */
    void arm() {
        if (isDone()) return;
        // Fixed rate is driven by the heap's period; fixed delay re-arms after each run.
        timer.schedule(delayNanos, period > 0 ? period : 0);
        deadline = timer.deadline;
        loop.delayedTaskArmed(this);
    }

    private void fire() {
        if (!isPeriodic()) {
            run();
            loop.delayedTaskDone(this);
            return;
        }
        if (!runAndReset()) {
            timer.cancel(); // threw or was cancelled: a periodic task stops, as the interface says
            return;
        }
        if (period < 0) timer.schedule(-period, 0);
        deadline = timer.deadline;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            try {
                loop.runOnLoop(() -> {
                    if (timer.isActive()) {
                        timer.cancel();
                        loop.delayedTaskDone(this);
                    }
                });
            } catch (RejectedExecutionException closed) {
                // the loop is closed: its timers are gone already
            }
        }
        return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
}

package dev.gust.channels;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers for tests: wait for a condition (polling, bounded), never sleep as synchronization. */
final class TestSupport {
    private TestSupport() {
    }

    /** Polls {@code condition} until true; fails after 10 s. */
    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits until {@code t} is parked (WAITING or TIMED_WAITING). */
    static void awaitParked(Thread t) {
        await(() -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }
}

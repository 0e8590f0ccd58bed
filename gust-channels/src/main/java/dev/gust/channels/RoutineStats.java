package dev.gust.channels;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide routine counters, for dashboards and debugging. A snapshot is taken with
 * {@link #snapshot()}; counters are cheap {@link LongAdder}s updated at spawn/finish and around
 * actual parks (never on a channel's fast path).
 *
 * @param spawned routines started so far
 * @param running routines started and not yet finished
 * @param finished routines that ended, in any way
 * @param failed routines that ended with an exception (not counting cancelled ones)
 * @param cancelled routines that were cancelled
 * @param parked threads (routines or not) currently parked in a channel operation, select or sleep
 */
public record RoutineStats(long spawned, long running, long finished, long failed, long cancelled, long parked) {
    static final LongAdder SPAWNED = new LongAdder();
    static final LongAdder FINISHED = new LongAdder();
    static final LongAdder FAILED = new LongAdder();
    static final LongAdder CANCELLED = new LongAdder();
    static final LongAdder PARKED = new LongAdder();

    /** Current values (each counter read once; not an atomic snapshot of all of them). */
    public static RoutineStats snapshot() {
        long finished = FINISHED.sum();
        long spawned = SPAWNED.sum();
        return new RoutineStats(spawned, Math.max(0, spawned - finished), finished, FAILED.sum(), CANCELLED.sum(),
                Math.max(0, PARKED.sum()));
    }
}

package dev.gust.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A parked thread waiting for one of its operations (one, or several in a select) to complete.
 *
 * <p>The state is the single point of truth for the race between counterparts, timeouts and
 * interrupts:
 * <pre>
 *   WAITING --(counterpart, under the channel lock: CAS)--> index of the winning case (>= 0)
 *   WAITING --(the waiter itself on interrupt: CAS)-------> CANCELLED
 *   WAITING --(the timer wheel: CAS)----------------------> TIMED_OUT
 * </pre>
 * Exactly one CAS succeeds. A counterpart that wins has already written the node's item, so the
 * element is either delivered to exactly this waiter or stays with the counterpart: nothing is lost
 * or duplicated. A plain operation's waiter is its own (single) node.
 */
final class Waiter extends Node implements TimerWheel.Task {
    static final int WAITING = -1;
    static final int CANCELLED = -2;
    static final int TIMED_OUT = -3;
    /** Timeouts this long (about 146 years) are treated as none. */
    static final long FOREVER = Long.MAX_VALUE / 2;

    private static final VarHandle STATE;

    final Thread thread;
    private volatile int state;
    /** Chains waiters to unpark after a channel is unlocked; guarded by that channel's lock. */
    Waiter nextWake;

    Waiter(Thread thread) {
        super(null, 0);
        this.owner = this;
        this.thread = thread;
        STATE.set(this, WAITING); // plain store; published by the channel lock
    }

    int state() {
        return state;
    }

    /** A counterpart claims this waiter for case {@code index}. Call with that channel locked. */
    boolean tryWin(int index) {
        return STATE.compareAndSet(this, WAITING, index);
    }

    /** The waiter gives up (interrupt) or the timer fires; fails if a case already won. */
    boolean tryCancel(int reason) {
        return STATE.compareAndSet(this, WAITING, reason);
    }

    /** Timer wheel callback: time is up. */
    @Override
    public void fire() {
        if (tryCancel(TIMED_OUT)) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Parks until the state is final. Returns the final state: a case index, {@link #TIMED_OUT}, or
     * {@link #CANCELLED} if the thread was interrupted first. If the interrupt loses the race (a
     * case had already won), the interrupt status is restored and the case index is returned: the
     * operation completed and its element must not be dropped.
     *
     * @param timeoutNanos a timeout, or {@code <= 0} for none
     */
    int await(long timeoutNanos, Object blocker) {
        return await(timeoutNanos, blocker, null);
    }

    /** As {@link #await(long, Object)}, first spinning briefly if {@code spin} says it pays. */
    int await(long timeoutNanos, Object blocker, AdaptiveSpin spin) {
        TimerWheel.Timeout timeout = timeoutNanos > 0 && timeoutNanos < FOREVER
                ? TimerWheel.shared().schedule(timeoutNanos, this) : null;
        int s = state;
        if (s == WAITING && spin != null && (AdaptiveSpin.VIRTUAL || !thread.isVirtual())) {
            s = spin.spinWhile(this);
        }
        if (s == WAITING) {
            RoutineStats.PARKED.increment();
            boolean interrupted = false;
            while ((s = state) == WAITING) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (tryCancel(CANCELLED)) {
                        s = CANCELLED;
                        break;
                    }
                    continue; // lost the race: a case won, its state is already final
                }
                LockSupport.park(blocker);
            }
            RoutineStats.PARKED.decrement();
            if (interrupted && s != CANCELLED) {
                thread.interrupt();
            }
        }
        if (timeout != null && s != TIMED_OUT) {
            timeout.cancel();
        }
        return s;
    }

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

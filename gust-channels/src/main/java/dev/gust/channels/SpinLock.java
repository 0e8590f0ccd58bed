package dev.gust.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny test-and-test-and-set lock, used as the base class of a channel so the lock word lives in
 * the channel object itself (Go's {@code hchan.lock}).
 *
 * <p>Critical sections guarded by it are a handful of field writes: no user code, no allocation
 * beyond a waiter node, never a park. So contention is resolved by spinning briefly, then yielding
 * the carrier (a virtual thread lets another routine run), then backing off with short sleeps in
 * case the holder's carrier was descheduled by the OS.
 */
abstract class SpinLock {
    private static final VarHandle LOCKED;
    private static final int SPINS = 64;
    private static final int YIELDS = 64;

    @SuppressWarnings("unused") // accessed through LOCKED
    private volatile int locked;

    final void lock() {
        if (!LOCKED.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        int tries = 0;
        for (;;) {
            if ((int) LOCKED.getOpaque(this) == 0 && LOCKED.compareAndSet(this, 0, 1)) {
                return;
            }
            tries++;
            if (tries < SPINS) {
                Thread.onSpinWait();
            } else if (tries < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(10_000L);
            }
        }
    }

    final void unlock() {
        LOCKED.setRelease(this, 0);
    }

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(SpinLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

package dev.gust.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One hashed timer wheel driven by one daemon platform thread, shared by every timeout, sleep,
 * {@code after} and {@code tick} in the process. No thread per timeout, and no {@code parkNanos}
 * per waiter: a waiter with a timeout parks untimed and the wheel thread unparks it.
 *
 * <p>Layout: {@value #WHEEL_SIZE} buckets of 2^{@value #TICK_SHIFT} ns (65 us) each; a task
 * lives in the bucket of its deadline tick and carries its exact deadline, so the wheel thread
 * sleeps until the earliest due deadline rather than waking every tick (a 1 ms timeout fires after
 * about 1 ms plus the OS wake-up latency). Fine ticks keep buckets short when thousands of
 * timeouts are pending, so a wake-up only walks the few entries of its own tick.
 *
 * <p>Threads never touch the buckets: {@link #schedule} pushes onto a lock-free stack that the
 * wheel thread drains, and {@link Timeout#cancel} only flips a flag (the wheel drops cancelled
 * entries when it next walks their bucket).
 */
final class TimerWheel {
    /** Something to run on the wheel thread when a deadline passes. Must be quick and never block. */
    interface Task {
        void fire();
    }

    static final int TICK_SHIFT = 16; // 65.536 us per tick
    static final int WHEEL_SIZE = 4096; // one revolution: 268 ms
    private static final int MASK = WHEEL_SIZE - 1;
    private static final int SCAN_TICKS = 1024; // 67 ms

    /** A scheduled task. Also the wheel's list node. */
    static final class Timeout {
        private static final VarHandle CANCELLED;
        final Task task;
        final long deadline;
        Timeout next; // bucket list or pending stack; owned by the wheel thread after push
        Timeout prev;
        @SuppressWarnings("unused")
        private volatile boolean cancelled;

        Timeout(Task task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        /** Prevents the task from firing (if it has not already). */
        void cancel() {
            CANCELLED.setOpaque(this, true);
        }

        boolean isCancelled() {
            return (boolean) CANCELLED.getOpaque(this);
        }

        static {
            try {
                CANCELLED = MethodHandles.lookup().findVarHandle(Timeout.class, "cancelled", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static final long IDLE = Long.MAX_VALUE;
    private static final long AWAKE = Long.MIN_VALUE;
    private static final VarHandle PENDING;
    private static final VarHandle PLANNED_WAKE;

    private static final class Holder {
        static final TimerWheel SHARED = new TimerWheel("gust-timer-wheel");
    }

    static TimerWheel shared() {
        return Holder.SHARED;
    }

    private final Timeout[] buckets = new Timeout[WHEEL_SIZE];
    private final Thread thread;
    @SuppressWarnings("unused")
    private volatile Timeout pending; // Treiber stack of newly scheduled timeouts
    @SuppressWarnings("unused")
    private volatile long plannedWake; // deadline the wheel thread sleeps until, IDLE or AWAKE
    private static final int DIRECT_FIRE = 8;
    private final java.util.ArrayList<Task> due = new java.util.ArrayList<>(); // wheel thread only
    private Channel<Task[]> dispatch; // wheel thread only; created on the first burst
    private long processedTick; // wheel thread only
    private int live; // wheel thread only: entries in buckets

    TimerWheel(String name) {
        PLANNED_WAKE.setVolatile(this, AWAKE); // the thread drains pending first anyway
        processedTick = System.nanoTime() >> TICK_SHIFT;
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Schedules {@code task} to fire after {@code delayNanos}. */
    Timeout schedule(long delayNanos, Task task) {
        return scheduleAt(System.nanoTime() + Math.max(0, delayNanos), task);
    }

    /** Schedules {@code task} to fire at {@code System.nanoTime()} value {@code deadline}. */
    Timeout scheduleAt(long deadline, Task task) {
        Timeout t = new Timeout(task, deadline);
        Timeout head;
        do {
            head = (Timeout) PENDING.getVolatile(this);
            t.next = head;
        } while (!PENDING.compareAndSet(this, head, t));
        // Wake the wheel thread only if it plans to sleep past this deadline (Dekker with the
        // wheel thread's "publish plannedWake, then re-check pending" before parking).
        long planned = (long) PLANNED_WAKE.getVolatile(this);
        if (planned != AWAKE && (planned == IDLE || deadline - planned < 0)) {
            LockSupport.unpark(thread);
        }
        return t;
    }

    private void run() {
        for (;;) {
            try {
                long now = System.nanoTime();
                drainPending(now);
                expire(now);
                fireDue();
                long next = nextDeadline(now);
                PLANNED_WAKE.setVolatile(this, next);
                if (PENDING.getVolatile(this) != null) {
                    continue;
                }
                if (next == IDLE) {
                    LockSupport.park(this);
                } else {
                    long delay = next - System.nanoTime();
                    if (delay > 0) {
                        LockSupport.parkNanos(this, delay);
                    }
                }
                PLANNED_WAKE.setVolatile(this, AWAKE); // awake: schedulers need not unpark
            } catch (Throwable t) {
                // a task threw: never let the shared timer die
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
            }
        }
    }

    /**
     * Fires the tasks that came due. A few fire right here; a burst is handed to a dispatcher
     * <em>virtual</em> thread: waking a virtual thread from a platform thread is an external
     * submission to the scheduler (microseconds each), while from a carrier it is a cheap push on
     * the carrier's local queue, so 1,000 timeouts expiring together cost one external wake-up
     * instead of 1,000.
     */
    private void fireDue() {
        int n = due.size();
        if (n == 0) {
            return;
        }
        if (n <= DIRECT_FIRE) {
            for (int i = 0; i < n; i++) {
                fireSafely(due.get(i));
            }
        } else {
            dispatcher().trySend(due.toArray(new Task[0]));
        }
        due.clear();
    }

    private Channel<Task[]> dispatcher() {
        Channel<Task[]> d = dispatch;
        if (d == null) {
            Channel<Task[]> ch = Channel.unbounded();
            Thread.ofVirtual().name("gust-timer-dispatch").start(() -> {
                for (Task[] batch : ch) {
                    for (Task t : batch) {
                        fireSafely(t);
                    }
                }
            });
            dispatch = d = ch;
        }
        return d;
    }

    private static void fireSafely(Task t) {
        try {
            t.fire();
        } catch (Throwable e) { // a task threw: never let the shared timer die
            Thread c = Thread.currentThread();
            c.getUncaughtExceptionHandler().uncaughtException(c, e);
        }
    }

    private void drainPending(long now) {
        Timeout t = (Timeout) PENDING.getAndSet(this, (Timeout) null);
        while (t != null) {
            Timeout next = t.next;
            if (!t.isCancelled()) {
                if (t.deadline - now <= 0) {
                    t.next = null;
                    due.add(t.task);
                } else {
                    insert(t);
                }
            }
            t = next;
        }
    }

    private void insert(Timeout t) {
        int b = (int) (t.deadline >> TICK_SHIFT) & MASK;
        Timeout h = buckets[b];
        t.prev = null;
        t.next = h;
        if (h != null) {
            h.prev = t;
        }
        buckets[b] = t;
        live++;
    }

    private void unlink(int b, Timeout t) {
        if (t.prev == null) {
            buckets[b] = t.next;
        } else {
            t.prev.next = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        live--;
    }

    /** Fires everything due in the ticks since the last pass, dropping cancelled entries. */
    private void expire(long now) {
        long nowTick = now >> TICK_SHIFT;
        long from = processedTick;
        if (nowTick - from >= WHEEL_SIZE) {
            from = nowTick - WHEEL_SIZE + 1; // a long stall: every bucket gets walked once
        }
        for (long tick = from; tick <= nowTick && live > 0; tick++) {
            int b = (int) tick & MASK;
            Timeout t = buckets[b];
            while (t != null) {
                Timeout next = t.next;
                if (t.isCancelled()) {
                    unlink(b, t);
                } else if (t.deadline - now <= 0) {
                    unlink(b, t);
                    due.add(t.task);
                }
                t = next;
            }
        }
        processedTick = nowTick; // this tick's later entries are re-checked on the next pass
    }

    /**
     * Earliest live deadline due in the next {@value #SCAN_TICKS} ticks, else the end of that
     * window (so a wake-up never walks more than that many buckets, however many long timers wait).
     */
    private long nextDeadline(long now) {
        if (live == 0) {
            return IDLE;
        }
        long nowTick = now >> TICK_SHIFT;
        for (int i = 0; i < SCAN_TICKS; i++) {
            long tick = nowTick + i;
            long earliest = Long.MAX_VALUE;
            boolean found = false;
            for (Timeout t = buckets[(int) tick & MASK]; t != null; t = t.next) {
                if (!t.isCancelled() && (t.deadline >> TICK_SHIFT) == tick) {
                    if (!found || t.deadline - earliest < 0) {
                        earliest = t.deadline;
                    }
                    found = true;
                }
            }
            if (found) {
                return earliest;
            }
        }
        return (nowTick + SCAN_TICKS) << TICK_SHIFT; // nothing due soon: look again then
    }

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PENDING = l.findVarHandle(TimerWheel.class, "pending", Timeout.class);
            PLANNED_WAKE = l.findVarHandle(TimerWheel.class, "plannedWake", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

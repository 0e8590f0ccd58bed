package dev.gust.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Handle to a routine: a task running on its own virtual thread, started by
 * {@link Routines#go(Callable)} or {@link RoutineScope#go(Callable)}.
 *
 * <pre>{@code
 * Routine<Integer> r = Routines.go("answer", () -> 6 * 7);
 * int v = r.join();                 // 42
 * Routine<Void> w = Routines.go(() -> Routines.sleep(Duration.ofHours(1)));
 * w.cancel();                       // interrupts it
 * w.join();                         // throws CancellationException
 * }</pre>
 *
 * <p>An exception thrown by the routine is never swallowed: {@link #join()} rethrows it wrapped in
 * {@link RoutineFailedException}, and a routine not owned by a scope also reports it to its thread's
 * uncaught-exception handler (like any Java thread; Go would crash). Inside a
 * {@link RoutineScope} the scope reports it instead.
 *
 * @param <T> result type ({@code Void} for routines without a result)
 */
public final class Routine<T> {
    /** Lifecycle of a routine. */
    public enum State {
        /** Started and not finished. */
        RUNNING,
        /** Returned normally. */
        SUCCEEDED,
        /** Threw an exception. */
        FAILED,
        /** {@link #cancel()} was called before it finished. */
        CANCELLED
    }

    private static final VarHandle STATE;

    private final String name;
    private final Callable<T> body;
    private final RoutineScope scope;
    private final Thread thread;
    private volatile State state = State.RUNNING;
    private T result;
    private Throwable failure;

    Routine(String name, Callable<T> body, RoutineScope scope) {
        this.name = name;
        this.body = body;
        this.scope = scope;
        Thread.Builder.OfVirtual b = Thread.ofVirtual();
        if (name != null) {
            b.name(name);
        }
        this.thread = b.unstarted(this::run);
    }

    void start() {
        RoutineStats.SPAWNED.increment();
        thread.start();
    }

    private void run() {
        Throwable error = null;
        try {
            if (state == State.CANCELLED) { // cancelled before it started
                throw new InterruptedException("cancelled before start");
            }
            result = body.call();
        } catch (Throwable t) {
            error = t;
            failure = t;
        }
        boolean failed = error != null && STATE.compareAndSet(this, State.RUNNING, State.FAILED);
        if (error == null) {
            STATE.compareAndSet(this, State.RUNNING, State.SUCCEEDED);
        }
        RoutineStats.FINISHED.increment();
        if (failed) {
            RoutineStats.FAILED.increment();
        }
        if (scope != null) {
            scope.finished(this, failed ? error : null);
        } else if (failed) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, error);
        }
    }

    /** The name given at spawn, or the virtual thread's (empty) name. */
    public String name() {
        return name != null ? name : thread.toString();
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** True once the routine's thread has ended. */
    public boolean isDone() {
        return !thread.isAlive() && state != State.RUNNING;
    }

    /**
     * Waits for the routine to end and returns its result.
     *
     * @throws CancellationException if it was cancelled (its failure, if any, is the cause)
     * @throws RoutineFailedException if it threw (the cause)
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public T join() throws InterruptedException {
        thread.join();
        return report();
    }

    /**
     * Waits at most {@code timeout} for the routine to end and returns its result.
     *
     * @throws TimeoutException if it is still running after {@code timeout}
     * @throws CancellationException if it was cancelled
     * @throws RoutineFailedException if it threw
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public T join(Duration timeout) throws InterruptedException, TimeoutException {
        if (!thread.join(timeout)) {
            throw new TimeoutException("routine '" + name() + "' still running after " + timeout);
        }
        return report();
    }

    /**
     * Cancels the routine: marks it {@link State#CANCELLED} and interrupts its thread, which makes a
     * blocked channel operation, select, sleep or join in it throw {@link InterruptedException}.
     *
     * @return true if it was running and is now cancelled
     */
    public boolean cancel() {
        if (STATE.compareAndSet(this, State.RUNNING, State.CANCELLED)) {
            RoutineStats.CANCELLED.increment();
            thread.interrupt();
            return true;
        }
        return false;
    }

    /** The result; only valid in state {@link State#SUCCEEDED}. */
    public T result() {
        if (state != State.SUCCEEDED || thread.isAlive()) {
            throw new IllegalStateException("routine '" + name() + "' is " + state);
        }
        return result;
    }

    /** The exception it threw; only valid in state {@link State#FAILED}. */
    public Throwable failure() {
        if (state != State.FAILED || thread.isAlive()) {
            throw new IllegalStateException("routine '" + name() + "' is " + state);
        }
        return failure;
    }

    /** The exception the body threw, whatever the state (tests and scope reporting). */
    Throwable failure0() {
        return failure;
    }

    Thread thread() {
        return thread;
    }

    private T report() {
        return switch (state) {
            case SUCCEEDED -> result;
            case FAILED -> throw new RoutineFailedException(name(), failure);
            case CANCELLED -> {
                CancellationException e = new CancellationException("routine '" + name() + "' was cancelled");
                if (failure != null && !(failure instanceof InterruptedException)) {
                    e.initCause(failure);
                }
                throw e;
            }
            case RUNNING -> throw new IllegalStateException("not finished"); // unreachable after join
        };
    }

    @Override
    public String toString() {
        return "Routine[" + name() + ", " + state + "]";
    }

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Routine.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

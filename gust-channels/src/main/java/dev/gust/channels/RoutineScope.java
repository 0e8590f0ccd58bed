package dev.gust.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * Structured concurrency for routines: a scope owns the routines started through it, waits for all
 * of them when it is joined or closed, and cancels the rest as soon as one fails.
 *
 * <pre>{@code
 * try (var scope = Routines.scope()) {
 *     var a = scope.go(() -> fetch("a"));
 *     var b = scope.go(() -> fetch("b"));
 *     scope.join();                  // waits for both; throws if one failed (the other is cancelled)
 *     use(a.result(), b.result());
 * }                                  // close() also waits: no routine outlives its scope
 * }</pre>
 */
public final class RoutineScope implements AutoCloseable {
    private final String name;
    private final List<Routine<?>> routines = new ArrayList<>(); // guarded by this
    private Throwable failure; // first failure; guarded by this
    private boolean closed; // guarded by this
    private int live; // routines started and not finished; guarded by this

    RoutineScope(String name) {
        this.name = name;
    }

    /** Starts a routine owned by this scope. */
    public <T> Routine<T> go(Callable<T> body) {
        return go(null, body);
    }

    /** Starts a named routine owned by this scope. */
    public <T> Routine<T> go(String name, Callable<T> body) {
        Routine<T> r = new Routine<>(name, body, this);
        synchronized (this) {
            if (closed && live == 0) { // while routines run, they may still start more
                throw new IllegalStateException("scope '" + this.name + "' is closed");
            }
            routines.add(r);
            live++;
            if (failure != null) {
                r.cancel(); // started after a failure: cancelled from the start
            }
        }
        r.start();
        return r;
    }

    /** Starts a routine without a result owned by this scope. */
    public Routine<Void> go(ThrowingRunnable body) {
        return go(null, Routines.callable(body));
    }

    /** Starts a named routine without a result owned by this scope. */
    public Routine<Void> go(String name, ThrowingRunnable body) {
        return go(name, Routines.callable(body));
    }

    /** Cancels every routine of the scope that is still running. */
    public void cancel() {
        for (Routine<?> r : snapshot()) {
            r.cancel();
        }
    }

    /**
     * Waits for every routine of the scope (including ones they start meanwhile).
     *
     * @throws RoutineFailedException if one failed: the first failure is the cause, later ones are
     *     suppressed; the others were cancelled at the first failure
     * @throws InterruptedException if interrupted while waiting (the routines keep running; call
     *     {@link #cancel()} or {@link #close()})
     */
    public void join() throws InterruptedException {
        int joined = 0;
        for (;;) {
            List<Routine<?>> all = snapshot();
            if (joined == all.size()) {
                break;
            }
            for (int i = joined; i < all.size(); i++) {
                all.get(i).thread().join();
            }
            joined = all.size();
        }
        Throwable f;
        synchronized (this) {
            f = failure;
        }
        if (f != null) {
            throw (f instanceof RoutineFailedException rfe) ? rfe : new RoutineFailedException(name, f);
        }
    }

    /**
     * Closes the scope: no more routines may start; waits for all of them (like {@link #join()}).
     * If interrupted while waiting, cancels the remaining routines, waits for them to end, restores
     * the interrupt status and throws {@link CancellationException}.
     *
     * @throws RoutineFailedException if a routine failed
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            join();
        } catch (InterruptedException e) {
            cancel();
            for (Routine<?> r : snapshot()) {
                while (r.thread().isAlive()) {
                    try {
                        r.thread().join();
                    } catch (InterruptedException again) {
                        // keep waiting: no routine may outlive its scope
                    }
                }
            }
            Thread.currentThread().interrupt();
            CancellationException ce = new CancellationException("interrupted while closing scope '" + name + "'");
            ce.initCause(e);
            throw ce;
        }
    }

    /** Routines started through this scope so far. */
    public synchronized List<Routine<?>> routines() {
        return List.copyOf(routines);
    }

    private synchronized List<Routine<?>> snapshot() {
        return new ArrayList<>(routines);
    }

    void finished(Routine<?> r, Throwable error) {
        synchronized (this) {
            live--;
        }
        if (error == null) {
            return;
        }
        boolean first;
        synchronized (this) {
            first = failure == null;
            if (first) {
                failure = new RoutineFailedException(r.name(), error);
            } else {
                failure.addSuppressed(error);
            }
        }
        if (first) {
            cancel();
        }
    }

    @Override
    public String toString() {
        return "RoutineScope[" + name + "]";
    }
}

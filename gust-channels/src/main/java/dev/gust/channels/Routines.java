package dev.gust.channels;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Go's {@code go} statement and friends: start routines on virtual threads, open scopes, sleep.
 *
 * <pre>{@code
 * import static dev.gust.channels.Routines.go;
 *
 * var ch = Channel.<Integer>rendezvous();
 * go(() -> { for (int i = 0; i < 3; i++) ch.send(i); ch.close(); });
 * for (int v : ch) System.out.println(v);   // 0 1 2
 * }</pre>
 *
 * <p>Routine bodies may throw checked exceptions ({@link ThrowingRunnable},
 * {@link Callable}). As with {@code ExecutorService.submit}, a method reference to an
 * <em>overloaded</em> method (such as {@code ch::receive}) is ambiguous between the two
 * {@code go} overloads; write a lambda instead: {@code go(() -> ch.receive())}.
 */
public final class Routines {
    private Routines() {
    }

    /** Starts {@code body} as a routine on a new virtual thread. */
    public static Routine<Void> go(ThrowingRunnable body) {
        return start(null, callable(body));
    }

    /** Starts {@code body} as a routine named {@code name} (also the thread's name). */
    public static Routine<Void> go(String name, ThrowingRunnable body) {
        return start(name, callable(body));
    }

    /** Starts {@code body} as a routine with a result. */
    public static <T> Routine<T> go(Callable<T> body) {
        return start(null, body);
    }

    /** Starts {@code body} as a named routine with a result. */
    public static <T> Routine<T> go(String name, Callable<T> body) {
        return start(name, body);
    }

    /** Opens a scope: see {@link RoutineScope}. */
    public static RoutineScope scope() {
        return new RoutineScope("scope");
    }

    /** Opens a named scope: see {@link RoutineScope}. */
    public static RoutineScope scope(String name) {
        return new RoutineScope(name);
    }

    /**
     * Sleeps for {@code duration}, woken by the shared timer wheel (no {@code parkNanos}).
     *
     * @throws InterruptedException if interrupted (or the routine cancelled) meanwhile
     */
    public static void sleep(Duration duration) throws InterruptedException {
        long nanos = Channel.toNanos(duration);
        if (nanos <= 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Waiter w = new Waiter(Thread.currentThread());
        if (w.await(Math.min(nanos, Waiter.FOREVER - 1), w) == Waiter.CANCELLED) {
            throw new InterruptedException();
        }
    }

    /** Current counters. */
    public static RoutineStats stats() {
        return RoutineStats.snapshot();
    }

    private static <T> Routine<T> start(String name, Callable<T> body) {
        Routine<T> r = new Routine<>(name, java.util.Objects.requireNonNull(body, "body"), null);
        r.start();
        return r;
    }

    static Callable<Void> callable(ThrowingRunnable body) {
        java.util.Objects.requireNonNull(body, "body");
        return () -> {
            body.run();
            return null;
        };
    }
}

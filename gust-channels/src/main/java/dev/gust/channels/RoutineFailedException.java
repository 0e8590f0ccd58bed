package dev.gust.channels;

/**
 * Thrown by {@link Routine#join()} and {@link RoutineScope#join()} when a routine ended with an
 * exception; the {@linkplain #getCause() cause} is that exception (further failures of a scope are
 * attached as suppressed exceptions).
 */
public final class RoutineFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RoutineFailedException(String routineName, Throwable cause) {
        super("routine '" + routineName + "' failed: " + cause, cause);
    }
}

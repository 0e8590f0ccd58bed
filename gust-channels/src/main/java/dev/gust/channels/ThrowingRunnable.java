package dev.gust.channels;

/**
 * A routine body without a result that may throw, so blocking channel calls need no try/catch:
 * {@code Routines.go(() -> ch.send(x))}. Any {@link Runnable} lambda fits too.
 */
@FunctionalInterface
public interface ThrowingRunnable {
    void run() throws Exception;
}

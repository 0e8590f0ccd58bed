package dev.gust.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helper: runs code on a loop's thread and waits for its result. */
final class OnLoop {
    private OnLoop() {}

    static <T> T call(Loop loop, Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.defer(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    static void run(Loop loop, Runnable r) throws Exception {
        call(loop, () -> {
            r.run();
            return null;
        });
    }
}

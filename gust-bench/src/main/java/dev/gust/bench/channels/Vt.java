package dev.gust.bench.channels;

import java.util.ArrayList;
import java.util.List;

/** Starts virtual threads for a benchmark invocation and joins them, rethrowing any failure. */
final class Vt {
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private volatile Throwable failure;

    Vt start(Body body) {
        threads.add(Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure = t;
            }
        }));
        return this;
    }

    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}

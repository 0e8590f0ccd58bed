package dev.gust.loop;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLEngine;

/**
 * Runs an engine's delegated tasks (key exchange, signatures, certificate checks) off the loop
 * thread, so a burst of handshakes cannot stall the loop's plain sockets.
 *
 * <p>Why virtual threads: tasks are short and mostly CPU-bound, but a key manager or trust manager
 * may block (OCSP, HSM, a slow store); virtual threads cost nothing while blocked and their carrier
 * pool is already bounded by the CPU count.
 */
final class TlsTasks {
    private static final Executor EXECUTOR =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gust-tls-task-", 0).factory());

    private TlsTasks() {}

    /** Runs all of {@code engine}'s delegated tasks off-loop, then {@code done} (on that thread too). */
    static void run(SSLEngine engine, Runnable done) {
        EXECUTOR.execute(() -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) task.run();
            } finally {
                done.run();
            }
        });
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Busy time counts the I/O callbacks the poller runs (not only the work after poll returns), and the
 * longest pass is the slowest callback's pass: a handler that works 200 ms shows up in both.
 */
@Timeout(30)
class LoopBusyTimeTest {
    @Test
    void aSlowDataCallbackCountsAsBusyAndAsTheLongestPass() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CountDownLatch handled = new CountDownLatch(1);
            ListenSocket l = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    while (System.nanoTime() < until) Thread.onSpinWait(); // a handler doing heavy work on the loop
                    handled.countDown();
                }
            }).listen("127.0.0.1", 0));
            long[] before = OnLoop.call(loop, () -> new long[] {loop.busyNanos(), loop.longestIterationNanos()});
            assertTrue(before[1] < TimeUnit.MILLISECONDS.toNanos(150), "no slow pass yet: " + before[1]);
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", l.port())) {
                OutputStream out = c.getOutputStream();
                out.write(1);
                out.flush();
                assertTrue(handled.await(10, TimeUnit.SECONDS));
            }
            // A pass is counted when it ends: one empty hop first, so the read runs in a later pass.
            OnLoop.call(loop, () -> null);
            long[] after = OnLoop.call(loop, () -> new long[] {loop.busyNanos(), loop.longestIterationNanos()});
            assertTrue(after[0] - before[0] >= TimeUnit.MILLISECONDS.toNanos(200),
                    "busy time grew by " + (after[0] - before[0]) + " ns across a 200 ms callback");
            assertTrue(after[1] >= TimeUnit.MILLISECONDS.toNanos(200), "longest pass " + after[1] + " ns");
        }
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimerTest {

    private static void onLoop(Loop loop, Runnable r) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.defer(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void preciseTimersFireInDeadlineOrder() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(5);
        try (Loop loop = Loop.create().start()) {
            onLoop(loop, () -> {
                int[] delays = {50, 10, 40, 20, 30};
                for (int d : delays) loop.setTimeout(Duration.ofMillis(d), () -> { order.add(d); done.countDown(); });
            });
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(10, 20, 30, 40, 50), order);
        }
    }

    @Test
    void preciseTimerFiresNoEarlierThanItsDelay() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<Long> elapsed = new CompletableFuture<>();
            long[] start = new long[1];
            onLoop(loop, () -> {
                start[0] = System.nanoTime();
                loop.setTimeout(Duration.ofMillis(30), () -> elapsed.complete(System.nanoTime() - start[0]));
            });
            assertTrue(elapsed.get(5, TimeUnit.SECONDS) >= TimeUnit.MILLISECONDS.toNanos(30));
        }
    }

    @Test
    void cancelledTimerNeverFiresAndResetPostponesIt() throws Exception {
        try (Loop loop = Loop.create().start()) {
            AtomicInteger cancelledFired = new AtomicInteger();
            CompletableFuture<Long> resetFiredAt = new CompletableFuture<>();
            CountDownLatch marker = new CountDownLatch(1);
            long[] resetAt = new long[1];
            onLoop(loop, () -> {
                Timer cancelled = loop.setTimeout(Duration.ofMillis(20), cancelledFired::incrementAndGet);
                cancelled.cancel();
                assertFalse(cancelled.isActive());
                Timer reset = loop.setTimeout(Duration.ofMillis(60), () -> resetFiredAt.complete(System.nanoTime()));
                loop.setTimeout(Duration.ofMillis(40), () -> { resetAt[0] = System.nanoTime(); reset.reset(); });
                loop.setTimeout(Duration.ofMillis(150), marker::countDown);
            });
            long firedAt = resetFiredAt.get(5, TimeUnit.SECONDS);
            assertTrue(firedAt - resetAt[0] >= TimeUnit.MILLISECONDS.toNanos(60), "reset re-arms with the full delay");
            assertTrue(marker.await(5, TimeUnit.SECONDS));
            assertEquals(0, cancelledFired.get());
        }
    }

    @Test
    void repeatingTimerRepeatsUntilCancelled() throws Exception {
        try (Loop loop = Loop.create().start()) {
            AtomicInteger ticks = new AtomicInteger();
            CountDownLatch five = new CountDownLatch(5);
            Timer[] t = new Timer[1];
            onLoop(loop, () -> t[0] = loop.setInterval(Duration.ofMillis(5), () -> { ticks.incrementAndGet(); five.countDown(); }));
            assertTrue(five.await(5, TimeUnit.SECONDS));
            onLoop(loop, () -> t[0].cancel());
            int after = ticks.get();
            CountDownLatch later = new CountDownLatch(1);
            onLoop(loop, () -> loop.setTimeout(Duration.ofMillis(50), later::countDown));
            assertTrue(later.await(5, TimeUnit.SECONDS));
            assertEquals(after, ticks.get());
        }
    }

    @Test
    void coarseTimersFireAfterDeadlineWithinATickAndCanBeCancelled() throws Exception {
        LoopOptions opts = LoopOptions.defaults().withWheel(Duration.ofMillis(10), 8); // tiny wheel: forces rounds
        try (Loop loop = Loop.create(opts).start()) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            AtomicInteger cancelledFired = new AtomicInteger();
            long[] start = new long[1];
            CompletableFuture<Long> longOne = new CompletableFuture<>();
            onLoop(loop, () -> {
                start[0] = System.nanoTime();
                for (int d : new int[] {200, 30, 120}) {
                    loop.coarseTimer(() -> {
                        order.add(d);
                        if (d == 200) longOne.complete(System.nanoTime() - start[0]);
                        done.countDown();
                    }).schedule(Duration.ofMillis(d));
                }
                Timer c = loop.coarseTimer(cancelledFired::incrementAndGet);
                c.schedule(Duration.ofMillis(50));
                c.cancel();
            });
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(30, 120, 200), order);
            assertTrue(longOne.get() >= TimeUnit.MILLISECONDS.toNanos(200), "never early, even past one wheel rotation");
            assertEquals(0, cancelledFired.get());
        }
    }

    @Test
    void coarseRepeatingTimerRepeats() throws Exception {
        try (Loop loop = Loop.create(LoopOptions.defaults().withWheel(Duration.ofMillis(5), 64)).start()) {
            CountDownLatch three = new CountDownLatch(3);
            onLoop(loop, () -> loop.coarseTimer(three::countDown).schedule(Duration.ofMillis(10), Duration.ofMillis(10)));
            assertTrue(three.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void throwingTimerDoesNotStopOthers() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CountDownLatch ok = new CountDownLatch(1);
            onLoop(loop, () -> {
                loop.setTimeout(Duration.ofMillis(5), () -> { throw new RuntimeException("expected by test"); });
                loop.setTimeout(Duration.ofMillis(10), ok::countDown);
            });
            assertTrue(ok.await(5, TimeUnit.SECONDS));
        }
    }
}

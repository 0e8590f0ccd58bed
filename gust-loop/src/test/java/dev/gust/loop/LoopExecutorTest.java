package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopExecutorTest {

    @Test
    void submitAndScheduleRunOnTheLoopThread() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Future<String> f = loop.submit(() -> Thread.currentThread().getName());
            assertEquals(loop.name(), f.get(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            ScheduledFuture<Integer> s = loop.schedule(() -> 42, 30, TimeUnit.MILLISECONDS);
            assertEquals(42, s.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
            assertTrue(s.isDone());
        }
    }

    @Test
    void fixedRateAndFixedDelayRepeatAndCancel() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CountDownLatch rate = new CountDownLatch(4), delay = new CountDownLatch(4);
            ScheduledFuture<?> a = loop.scheduleAtFixedRate(rate::countDown, 0, 5, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> b = loop.scheduleWithFixedDelay(delay::countDown, 1, 5, TimeUnit.MILLISECONDS);
            assertTrue(rate.await(5, TimeUnit.SECONDS));
            assertTrue(delay.await(5, TimeUnit.SECONDS));
            assertTrue(a.cancel(false));
            assertTrue(b.cancel(false));
            assertTrue(a.isCancelled());
            assertThrows(java.util.concurrent.CancellationException.class, a::get);
        }
    }

    @Test
    void failingTaskReportsItsExceptionThroughTheFuture() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Future<Object> f = loop.submit(() -> { throw new IllegalArgumentException("bad"); });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> p = loop.scheduleAtFixedRate(() -> {
                runs.incrementAndGet();
                throw new IllegalStateException("periodic failure (expected by test)");
            }, 0, 1, TimeUnit.MILLISECONDS);
            assertThrows(ExecutionException.class, () -> p.get(5, TimeUnit.SECONDS));
            assertEquals(1, runs.get(), "a periodic task that throws does not run again");
        }
    }

    @Test
    void shutdownRunsSubmittedAndDelayedTasksThenTerminates() throws Exception {
        Loop loop = Loop.create().start();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) loop.execute(ran::incrementAndGet);
        ScheduledFuture<?> delayed = loop.schedule(ran::incrementAndGet, 50, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> periodic = loop.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
        loop.shutdown();
        assertTrue(loop.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(loop.isTerminated());
        assertEquals(101, ran.get());
        assertTrue(delayed.isDone());
        assertTrue(periodic.isCancelled());
    }

    @Test
    void shutdownNowReturnsTasksThatNeverRan() throws Exception {
        Loop loop = Loop.create(); // not running: tasks just queue
        for (int i = 0; i < 3; i++) loop.execute(() -> {});
        List<Runnable> never = loop.shutdownNow();
        assertEquals(3, never.size());
        assertTrue(loop.isTerminated());
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopLifecycleTest {

    @Test
    void secondRunFailsClearly() throws Exception {
        try (Loop loop = Loop.create().start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
            assertTrue(e.getMessage().contains(loop.name()), e.getMessage());
        }
    }

    @Test
    void stopReturnsFromRunAndLoopCanRunAgain() throws Exception {
        Loop loop = Loop.create();
        CompletableFuture<Void> first = CompletableFuture.runAsync(loop::run);
        while (!loop.isRunning()) Thread.onSpinWait();
        loop.stop();
        first.get(5, TimeUnit.SECONDS);
        assertFalse(loop.isRunning());
        CountDownLatch ran = new CountDownLatch(1);
        loop.defer(ran::countDown);
        loop.start();
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        // Not just tasks: I/O works on the new thread too (an io_uring ring may belong to one thread).
        ListenSocket echo = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
            @Override
            public void onData(Socket<Void> s, java.nio.ByteBuffer data) {
                s.write(data);
            }
        }).listen("127.0.0.1", 0));
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", echo.port())) {
            c.setSoTimeout(5_000);
            c.getOutputStream().write("again".getBytes());
            assertArrayEquals("again".getBytes(), c.getInputStream().readNBytes(5));
        }
        loop.close();
        assertTrue(loop.isClosed());
        assertThrows(IllegalStateException.class, loop::run);
    }

    @Test
    void eightThreadsDeferTenThousandEachExactlyOnceInOrderPerThread() throws Exception {
        int threads = 8, perThread = 10_000;
        int[] lastSeen = new int[threads];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicLong total = new AtomicLong();
        List<String> errors = new ArrayList<>();
        try (Loop loop = Loop.create().start()) {
            Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                producers[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int seq = i;
                        loop.defer(() -> {
                            // runs on the loop thread only, so plain fields are safe here
                            if (lastSeen[id] != seq - 1) errors.add("thread " + id + " saw " + seq + " after " + lastSeen[id]);
                            lastSeen[id] = seq;
                            total.incrementAndGet();
                        });
                    }
                });
            }
            for (Thread p : producers) p.join();
            CountDownLatch done = new CountDownLatch(1);
            loop.defer(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(), errors);
            assertEquals((long) threads * perThread, total.get());
            for (int last : lastSeen) assertEquals(perThread - 1, last);
        }
    }

    @Test
    void runOnLoopIsInlineOnLoopThreadAndDeferredElsewhere() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<String> order = new CompletableFuture<>();
            loop.defer(() -> {
                StringBuilder sb = new StringBuilder();
                loop.runOnLoop(() -> sb.append("inline "));
                sb.append("after");
                order.complete(sb.toString());
            });
            assertEquals("inline after", order.get(5, TimeUnit.SECONDS));
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            loop.runOnLoop(() -> onLoop.complete(loop.isOnLoopThread()));
            assertTrue(onLoop.get(5, TimeUnit.SECONDS));
            assertFalse(loop.isOnLoopThread());
        }
    }

    @Test
    void loopOnlyCallsFromAnotherThreadFailNamingCallAndThreads() throws Exception {
        try (Loop loop = Loop.create().start()) {
            WrongThreadException e = assertThrows(WrongThreadException.class, () -> loop.timer(() -> {}).schedule(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("Timer.schedule"), e.getMessage());
            assertTrue(e.getMessage().contains(loop.name()), e.getMessage());
            assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
            var ctx = SocketContext.create(loop, null, new SocketHandler<Void>() {});
            WrongThreadException l = assertThrows(WrongThreadException.class, () -> ctx.listen("127.0.0.1", 0));
            assertTrue(l.getMessage().contains("SocketContext.listen"), l.getMessage());
            assertThrows(WrongThreadException.class, () -> loop.onPre(() -> {}));
        }
    }

    @Test
    void hooksAndIterationCounterRun() throws Exception {
        try (Loop loop = Loop.create().start()) {
            AtomicLong pre = new AtomicLong(), post = new AtomicLong(), wakeups = new AtomicLong();
            CountDownLatch installed = new CountDownLatch(1);
            loop.defer(() -> {
                loop.onPre(pre::incrementAndGet);
                loop.onPost(post::incrementAndGet);
                loop.onWakeup(wakeups::incrementAndGet);
                installed.countDown();
            });
            assertTrue(installed.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) {
                CountDownLatch l = new CountDownLatch(1);
                loop.defer(l::countDown);
                assertTrue(l.await(5, TimeUnit.SECONDS));
            }
            CompletableFuture<long[]> counts = new CompletableFuture<>();
            loop.defer(() -> counts.complete(new long[] {pre.get(), post.get(), wakeups.get(), loop.iteration()}));
            long[] c = counts.get(5, TimeUnit.SECONDS);
            assertTrue(c[0] >= 5, "pre hooks ran " + c[0]);
            assertTrue(c[1] >= 5, "post hooks ran " + c[1]);
            assertTrue(c[2] >= 5, "wakeup hooks ran " + c[2]);
            assertTrue(c[3] >= 6, "iterations " + c[3]);
        }
    }

    @Test
    void throwingDeferredTaskDoesNotKillTheLoop() throws Exception {
        try (Loop loop = Loop.create().start()) {
            loop.defer(() -> { throw new IllegalStateException("boom (expected by test)"); });
            CountDownLatch after = new CountDownLatch(1);
            loop.defer(after::countDown);
            assertTrue(after.await(5, TimeUnit.SECONDS));
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void deferAfterCloseIsRejected() {
        Loop loop = Loop.create().start();
        loop.close();
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> loop.defer(() -> {}));
    }
}

package dev.gust.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RoutineTest {

    @Test
    void joinReturnsTheResult() throws Exception {
        Routine<Integer> r = Routines.go("answer", () -> 6 * 7);
        assertEquals(42, r.join());
        assertEquals(Routine.State.SUCCEEDED, r.state());
        assertEquals(42, r.result());
        assertEquals("answer", r.name());
        assertTrue(r.isDone());
    }

    @Test
    void runsOnVirtualThreadsWithTheGivenName() throws Exception {
        Routine<String> r = Routines.go("worker-1", () -> Thread.currentThread().isVirtual() + " " + Thread.currentThread().getName());
        assertEquals("true worker-1", r.join());
    }

    @Test
    void failureIsRethrownByJoin() throws Exception {
        long failedBefore = Routines.stats().failed();
        IllegalStateException boom = new IllegalStateException("boom");
        Routine<Void> r = Routines.go(() -> {
            throw boom;
        });
        RoutineFailedException e = assertThrows(RoutineFailedException.class, r::join);
        assertSame(boom, e.getCause());
        assertEquals(Routine.State.FAILED, r.state());
        assertSame(boom, r.failure());
        assertTrue(Routines.stats().failed() >= failedBefore + 1);
        assertThrows(IllegalStateException.class, r::result);
    }

    @Test
    void cancelInterruptsAndJoinSaysSo() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Routine<Void> r = Routines.go(() -> {
            started.countDown();
            Routines.sleep(Duration.ofHours(1));
        });
        started.await();
        assertTrue(r.cancel());
        assertFalse(r.cancel());
        assertThrows(CancellationException.class, r::join);
        assertEquals(Routine.State.CANCELLED, r.state());
    }

    @Test
    void joinWithTimeout() throws Exception {
        Channel<Integer> gate = Channel.rendezvous();
        Routine<Integer> r = Routines.go(() -> gate.receive());
        assertThrows(TimeoutException.class, () -> r.join(Duration.ofMillis(10)));
        gate.send(3);
        assertEquals(3, r.join(Duration.ofSeconds(10)));
    }

    @Test
    void countersMove() throws Exception {
        RoutineStats before = Routines.stats();
        Channel<Integer> gate = Channel.rendezvous();
        Routine<Integer> r = Routines.go(() -> gate.receive());
        TestSupport.awaitParked(r.thread());
        RoutineStats during = Routines.stats();
        assertTrue(during.spawned() >= before.spawned() + 1);
        assertTrue(during.running() >= 1);
        assertTrue(during.parked() >= 1);
        gate.send(1);
        r.join();
        assertTrue(Routines.stats().finished() >= before.finished() + 1);
    }

    @Test
    void scopeWaitsForAllRoutines() throws Exception {
        AtomicInteger done = new AtomicInteger();
        Routine<Integer> a;
        try (var scope = Routines.scope("test")) {
            a = scope.go(() -> {
                Routines.sleep(Duration.ofMillis(20));
                done.incrementAndGet();
                return 1;
            });
            scope.go(() -> {
                done.incrementAndGet();
            });
        }
        assertEquals(2, done.get());
        assertEquals(1, a.result());
    }

    @Test
    void scopeCancelsTheRestWhenOneFails() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Routine<Void> sleeper;
        var scope = Routines.scope();
        sleeper = scope.go(() -> Routines.sleep(Duration.ofHours(1)));
        scope.go(() -> {
            throw boom;
        });
        RoutineFailedException e = assertThrows(RoutineFailedException.class, scope::join);
        assertSame(boom, e.getCause());
        assertEquals(Routine.State.CANCELLED, sleeper.state());
        assertThrows(CancellationException.class, sleeper::join);
        assertThrows(RoutineFailedException.class, scope::close);
        assertThrows(IllegalStateException.class, () -> scope.go(() -> { }));
    }

    @Test
    void scopeJoinsRoutinesStartedByRoutines() throws Exception {
        AtomicInteger done = new AtomicInteger();
        try (var scope = Routines.scope()) {
            scope.go(() -> {
                for (int i = 0; i < 10; i++) {
                    scope.go(() -> {
                        Routines.sleep(Duration.ofMillis(5));
                        done.incrementAndGet();
                    });
                }
            });
        }
        assertEquals(10, done.get());
    }

    @Test
    void manyRoutines() throws Exception {
        Channel<Integer> results = Channel.unbounded();
        try (var scope = Routines.scope()) {
            for (int i = 0; i < 10_000; i++) {
                int v = i;
                scope.go(() -> results.send(v));
            }
        }
        long sum = 0;
        for (Integer v; (v = results.tryReceive()) != null; ) {
            sum += v;
        }
        assertEquals(10_000L * 9_999 / 2, sum);
    }
}

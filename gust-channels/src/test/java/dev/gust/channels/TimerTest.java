package dev.gust.channels;

import static dev.gust.channels.Select.select;
import static dev.gust.channels.Select.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timers on the shared wheel. Only lower bounds on time are asserted (no speed assertions). */
@Timeout(20)
class TimerTest {

    @Test
    void sleepSleepsAtLeastTheDuration() throws Exception {
        long t0 = System.nanoTime();
        Routines.sleep(Duration.ofMillis(15));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(15).toNanos());
        Routines.sleep(Duration.ZERO);
    }

    @Test
    void sleepIsInterruptible() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Routine<Void> r = Routines.go(() -> {
            started.countDown();
            Routines.sleep(Duration.ofDays(1));
        });
        started.await();
        TestSupport.awaitParked(r.thread());
        r.cancel();
        assertThrows(CancellationException.class, r::join);
        assertTrue(r.failure0() instanceof InterruptedException);
    }

    @Test
    void afterDeliversOnce() throws Exception {
        long t0 = System.nanoTime();
        Channel<Instant> ch = Timers.after(Duration.ofMillis(10));
        assertNotNull(ch.receive());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(10).toNanos());
        assertNull(ch.receive(Duration.ofMillis(30)));
    }

    @Test
    void tickTicksUntilClosed() throws Exception {
        Channel<Instant> ticks = Timers.tick(Duration.ofMillis(2));
        Instant prev = ticks.receive();
        for (int i = 0; i < 5; i++) {
            Instant next = ticks.receive();
            assertTrue(!next.isBefore(prev));
            prev = next;
        }
        ticks.close();
        assertThrows(IllegalArgumentException.class, () -> Timers.tick(Duration.ZERO));
    }

    @Test
    void timeoutsBeyondOneWheelRevolution() throws Exception {
        // the wheel spans ~268 ms; 700 ms needs more than two rounds
        long t0 = System.nanoTime();
        Channel<Integer> never = Channel.rendezvous();
        assertNull(never.receive(Duration.ofMillis(700)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(700).toNanos());
    }

    @Test
    void manyConcurrentTimeoutsAllFire() throws Exception {
        Channel<Integer> never = Channel.rendezvous();
        AtomicInteger timedOut = new AtomicInteger();
        try (var scope = Routines.scope()) {
            for (int i = 0; i < 2000; i++) {
                int ms = 1 + i % 7;
                scope.go(() -> {
                    long t0 = System.nanoTime();
                    int c = select(never.onReceive(x -> { }), timeout(Duration.ofMillis(ms)));
                    if (c == 1 && System.nanoTime() - t0 >= Duration.ofMillis(ms).toNanos()) {
                        timedOut.incrementAndGet();
                    }
                });
            }
        }
        assertEquals(2000, timedOut.get());
    }

    @Test
    void cancelledTimeoutsDoNotFire() throws Exception {
        // A receive that succeeds cancels its timeout; the waiter must not be disturbed later.
        Channel<Integer> ch = Channel.bounded(1);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ch.send(i);
            got.add(ch.receive(Duration.ofMillis(1)));
        }
        assertEquals(200, got.size());
        Routines.sleep(Duration.ofMillis(5)); // let the cancelled timeouts pass their deadline
        assertNull(ch.receive(Duration.ofMillis(2)));
    }
}

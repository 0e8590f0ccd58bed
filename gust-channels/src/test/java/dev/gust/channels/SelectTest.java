package dev.gust.channels;

import static dev.gust.channels.Select.defaultCase;
import static dev.gust.channels.Select.disabled;
import static dev.gust.channels.Select.select;
import static dev.gust.channels.Select.timeout;
import static dev.gust.channels.Select.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SelectTest {

    @Test
    void receivesFromTheReadyChannel() throws Exception {
        Channel<String> a = Channel.bounded(1);
        Channel<String> b = Channel.bounded(1);
        b.send("b");
        AtomicReference<String> got = new AtomicReference<>();
        int i = select(a.onReceive(got::set), b.onReceive(got::set));
        assertEquals(1, i);
        assertEquals("b", got.get());
    }

    @Test
    void blocksUntilACaseBecomesReady() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        AtomicReference<String> got = new AtomicReference<>();
        Routine<Integer> r = Routines.go(() -> select(a.onReceive(got::set), b.onReceive(got::set)));
        TestSupport.awaitParked(r.thread());
        a.send("a");
        assertEquals(0, r.join());
        assertEquals("a", got.get());
        assertTrue(!b.trySend("x"), "the losing case's node was removed");
    }

    @Test
    void sendCase() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        AtomicInteger done = new AtomicInteger();
        Routine<Integer> r = Routines.go(() -> select(a.onSend(5, done::incrementAndGet)));
        assertEquals(5, a.receive());
        assertEquals(0, r.join());
        assertEquals(1, done.get());
    }

    @Test
    void defaultRunsWhenNothingReady() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        AtomicInteger dflt = new AtomicInteger();
        assertEquals(1, select(a.onReceive(x -> { }), defaultCase(dflt::incrementAndGet)));
        assertEquals(1, dflt.get());
        assertThrows(IllegalArgumentException.class, () -> select(defaultCase(), defaultCase()));
    }

    @Test
    void timeoutRunsWhenNothingBecomesReady() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        AtomicInteger fired = new AtomicInteger();
        long t0 = System.nanoTime();
        int i = select(a.onReceive(x -> { }), timeout(Duration.ofMillis(20), fired::incrementAndGet),
                timeout(Duration.ofMillis(5000), () -> { throw new AssertionError("later timeout won"); }));
        assertEquals(1, i);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(20).toNanos());
        assertEquals(1, fired.get());
        assertTrue(!a.trySend(1), "no receiver left behind by the timed-out select");
    }

    @Test
    void disabledCasesAreNeverChosen() throws Exception {
        Channel<Integer> a = Channel.bounded(1);
        a.send(1);
        assertEquals(2, select(disabled(), when(false, a.onReceive(x -> { })), defaultCase()));
        assertEquals(1, a.tryReceive());
        // only disabled cases plus a timeout: the timeout fires
        assertEquals(1, select(disabled(), timeout(Duration.ofMillis(1))));
    }

    @Test
    void sendAndReceiveOnTheSameChannelInOneSelect() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        // Two selects, each offering to send and receive on ch: they must pair up, one sending and
        // one receiving, and never match themselves.
        AtomicInteger received = new AtomicInteger(-1);
        AtomicInteger sends = new AtomicInteger();
        Routine<Integer> r1 = Routines.go(() -> select(ch.onSend(1, sends::incrementAndGet), ch.onReceive(received::set)));
        TestSupport.awaitParked(r1.thread());
        Routine<Integer> r2 = Routines.go(() -> select(ch.onSend(2, sends::incrementAndGet), ch.onReceive(received::set)));
        int c1 = r1.join();
        int c2 = r2.join();
        assertEquals(1, c1 + c2, "one sent, one received");
        assertEquals(1, sends.get());
        assertEquals(c1 == 0 ? 1 : 2, received.get());
        assertNull(ch.tryReceive());
    }

    @Test
    void sameChannelInSeveralCases() throws Exception {
        Channel<Integer> ch = Channel.bounded(2);
        ch.send(1);
        AtomicInteger sum = new AtomicInteger();
        int i = select(ch.onReceive(sum::addAndGet), ch.onReceive(sum::addAndGet), ch.onSend(9));
        assertTrue(i >= 0 && i <= 2);
        assertEquals(i == 2 ? 0 : 1, sum.get());
    }

    @Test
    void closedChannelCaseThrowsOrRunsOnClosed() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        ch.close();
        assertThrows(ChannelClosedException.class, () -> select(ch.onReceive(x -> { })));
        AtomicInteger closed = new AtomicInteger();
        assertEquals(0, select(ch.onReceive(x -> { }, closed::incrementAndGet)));
        assertEquals(1, closed.get());
        assertThrows(ChannelClosedException.class, () -> select(ch.onSend(1)));
    }

    @Test
    void closeWakesBlockedSelect() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        Channel<Integer> b = Channel.rendezvous();
        AtomicInteger closed = new AtomicInteger();
        Routine<Integer> r = Routines.go(() -> select(a.onReceive(x -> { }, closed::incrementAndGet), b.onReceive(x -> { })));
        TestSupport.awaitParked(r.thread());
        a.close();
        assertEquals(0, r.join());
        assertEquals(1, closed.get());
    }

    @Test
    void interruptedSelectTakesNothing() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        Channel<Integer> b = Channel.bounded(0);
        Routine<Integer> r = Routines.go(() -> select(a.onReceive(x -> { }), b.onReceive(x -> { })));
        TestSupport.awaitParked(r.thread());
        r.cancel();
        assertThrows(CancellationException.class, r::join);
        assertTrue(!a.trySend(1) && !b.trySend(1), "the cancelled select left no receiver behind");
    }

    /**
     * Uniform choice among ready cases: chi-square over 4 always-ready cases, 3 independent rounds
     * of 40,000 selects. An unbiased select exceeds the p = 0.001 critical value in a round with
     * probability 0.001, so at most one round may exceed it (false alarm rate ~3e-6), while a real
     * bias of a few percent fails every round.
     */
    @Test
    void fairAmongReadyCases() throws Exception {
        int k = 4;
        int trials = 40_000;
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            SelectCase[] cases = new SelectCase[k];
            for (int i = 0; i < k; i++) {
                Channel<Integer> c = Channel.bounded(1);
                c.send(i);
                cases[i] = c.onReceive(x -> c.trySend(x)); // put it back: always ready
            }
            int[] counts = new int[k];
            for (int t = 0; t < trials; t++) {
                counts[select(cases)]++;
            }
            double expected = (double) trials / k;
            double chi2 = 0;
            for (int c : counts) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
            if (chi2 >= 16.27) { // 3 degrees of freedom: P(chi2 > 16.27) = 0.001
                failures.add("chi-square " + chi2 + " for counts " + java.util.Arrays.toString(counts));
            }
        }
        assertTrue(failures.size() <= 1, failures.toString());
    }

    /**
     * Senders racing for a selecting receiver: nobody starves. Which sender is queued at a given
     * moment depends on scheduling (a sender that was just served and is still running re-arrives
     * before a parked one wakes up), so this only checks a loose bound; the uniformity of the choice
     * among ready cases is what the chi-square test above checks.
     */
    @Test
    void fairAmongBlockedChannels() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        Channel<Integer> b = Channel.rendezvous();
        Routines.go(() -> { for (;;) a.send(0); });
        Routines.go(() -> { for (;;) b.send(1); });
        int[] counts = new int[2];
        for (int i = 0; i < 4000; i++) {
            select(a.onReceive(x -> counts[x]++), b.onReceive(x -> counts[x]++));
        }
        assertTrue(counts[0] >= 20 && counts[1] >= 20, java.util.Arrays.toString(counts));
        a.close();
        b.close();
    }
}

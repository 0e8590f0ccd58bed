package dev.gust.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

@Timeout(20)
class ChannelTest {

    @Test
    void rendezvousHandsOverDirectly() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertEquals(0, ch.capacity());
        Routine<String> r = Routines.go(() -> ch.receive());
        ch.send("hello");
        assertEquals("hello", r.join());
    }

    @Test
    void rendezvousTryOpsFailWithoutCounterpart() {
        Channel<String> ch = Channel.rendezvous();
        assertFalse(ch.trySend("x"));
        assertNull(ch.tryReceive());
    }

    @Test
    void trySendSucceedsWhenReceiverWaits() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        Routine<Integer> r = Routines.go(() -> ch.receive());
        TestSupport.awaitParked(threadOf(r));
        assertTrue(ch.trySend(7), "a receiver is parked: trySend must not fail");
        assertEquals(7, r.join());
    }

    @Test
    void tryReceiveSucceedsWhenSenderWaits() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        Routine<Void> r = Routines.go(() -> ch.send(9));
        TestSupport.awaitParked(threadOf(r));
        assertEquals(9, ch.tryReceive());
        r.join();
    }

    @Test
    void boundedIsFifoAndBlocksWhenFull() throws Exception {
        Channel<Integer> ch = Channel.bounded(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(ch.trySend(i));
        }
        assertFalse(ch.trySend(3));
        assertEquals(3, ch.size());
        Routine<Void> blocked = Routines.go(() -> ch.send(3));
        TestSupport.awaitParked(threadOf(blocked));
        for (int i = 0; i < 4; i++) {
            assertEquals(i, ch.receive());
        }
        blocked.join();
        assertNull(ch.tryReceive());
    }

    @Test
    void unboundedNeverBlocks() throws Exception {
        Channel<Integer> ch = Channel.unbounded();
        for (int i = 0; i < 10_000; i++) {
            ch.send(i);
        }
        assertEquals(10_000, ch.size());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, ch.tryReceive());
        }
    }

    @Test
    void timeouts() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        assertNull(ch.receive(Duration.ofMillis(5)));
        assertNull(ch.receive(Duration.ZERO));
        assertTrue(ch.send(1, Duration.ofMillis(5)));
        long t0 = System.nanoTime();
        assertFalse(ch.send(2, Duration.ofMillis(5)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(5).toNanos(), "timed out early");
        assertEquals(1, ch.receive(Duration.ofMillis(5)));
        assertNull(ch.tryReceive(), "the timed-out element must not have been sent");
    }

    @Test
    void closeDrainsBufferThenReportsClosed() throws Exception {
        Channel<Integer> ch = Channel.bounded(4);
        ch.send(1);
        ch.send(2);
        assertTrue(ch.close());
        assertFalse(ch.close());
        assertTrue(ch.isClosedForSend());
        assertFalse(ch.isClosedForReceive());
        assertThrows(ChannelClosedException.class, () -> ch.send(3));
        assertThrows(ChannelClosedException.class, () -> ch.trySend(3));
        assertEquals(1, ch.receive());
        assertEquals(2, ch.tryReceive());
        assertTrue(ch.isClosedForReceive());
        assertThrows(ChannelClosedException.class, ch::receive);
        assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertNull(ch.receiveOrNull());
    }

    @Test
    void closeWakesBlockedReceiversAndFailsBlockedSenders() throws Exception {
        Channel<Integer> in = Channel.rendezvous();
        List<Routine<Integer>> receivers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            receivers.add(Routines.go(() -> in.receive()));
        }
        Channel<Integer> full = Channel.bounded(1);
        full.send(0);
        Routine<Void> sender = Routines.go(() -> full.send(1));
        for (Routine<Integer> r : receivers) {
            TestSupport.awaitParked(threadOf(r));
        }
        TestSupport.awaitParked(threadOf(sender));
        in.close();
        full.close();
        for (Routine<Integer> r : receivers) {
            RoutineFailedException e = assertThrows(RoutineFailedException.class, r::join);
            assertTrue(e.getCause() instanceof ChannelClosedException);
        }
        RoutineFailedException e = assertThrows(RoutineFailedException.class, sender::join);
        assertTrue(e.getCause() instanceof ChannelClosedException);
        assertEquals(0, full.receive(), "buffered element still drains");
        assertNull(full.receiveOrNull(), "the failed sender's element was not delivered");
    }

    @Test
    void closeWithErrorCarriesTheCause() {
        Channel<Integer> ch = Channel.unbounded();
        IllegalStateException boom = new IllegalStateException("boom");
        ch.trySend(1);
        ch.closeWithError(boom);
        assertEquals(1, ch.tryReceive());
        ChannelClosedException e = assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertSame(boom, e.getCause());
        ChannelClosedException it = assertThrows(ChannelClosedException.class, () -> {
            for (Integer ignored : ch) {
                // nothing left
            }
        });
        assertSame(boom, it.getCause());
    }

    @Test
    void iterationEndsAtClose() throws Exception {
        Channel<Integer> ch = Channel.bounded(2);
        Routines.go(() -> {
            for (int i = 0; i < 100; i++) {
                ch.send(i);
            }
            ch.close();
        });
        int expected = 0;
        for (int v : ch) {
            assertEquals(expected++, v);
        }
        assertEquals(100, expected);
    }

    @Test
    void nullsAreRejected() {
        Channel<String> ch = Channel.unbounded();
        assertThrows(NullPointerException.class, () -> ch.send(null));
        assertThrows(NullPointerException.class, () -> ch.trySend(null));
    }

    @Test
    void interruptWhileBlockedThrowsAndLosesNothing() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        Routine<Integer> r = Routines.go(() -> ch.receive());
        TestSupport.awaitParked(threadOf(r));
        r.cancel();
        assertThrows(CancellationException.class, r::join);
        assertTrue(r.failure0() instanceof InterruptedException);
        // The interrupted receiver left the queue: a trySend must not hand to it.
        assertFalse(ch.trySend(1));
        Routine<Void> s = Routines.go(() -> ch.send(2));
        TestSupport.awaitParked(threadOf(s));
        Routine<Void> s2 = Routines.go(() -> ch.send(3));
        TestSupport.awaitParked(threadOf(s2));
        s.cancel();
        assertThrows(CancellationException.class, s::join);
        assertEquals(3, ch.receive(), "cancelled sender's element was withdrawn");
        assertNull(ch.tryReceive());
    }

    @Test
    void interruptedThreadStillCompletesAnOperationThatNeedsNoWait() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        ch.send(5);
        Thread.currentThread().interrupt();
        try {
            assertEquals(5, ch.receive());
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(InterruptedException.class, ch::receive);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void sendReadyCallbackFiresWhenSpaceAppears() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        AtomicInteger fired = new AtomicInteger();
        ch.onSendReady(fired::incrementAndGet);
        assertEquals(1, fired.get(), "ready now: runs immediately");
        ch.trySend(1);
        ch.onSendReady(fired::incrementAndGet);
        assertEquals(1, fired.get());
        assertEquals(1, ch.tryReceive());
        assertEquals(2, fired.get(), "space freed: callback ran once");
        ch.trySend(2);
        ch.tryReceive();
        assertEquals(2, fired.get(), "one-shot");
    }

    @Test
    void sendReadyOnRendezvousFiresWhenReceiverArrives() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        AtomicReference<Boolean> sent = new AtomicReference<>();
        ch.onSendReady(() -> sent.set(ch.trySend(42)));
        assertNull(sent.get());
        Routine<Integer> r = Routines.go(() -> ch.receive());
        assertEquals(42, r.join());
        assertTrue(sent.get());
    }

    @Test
    void receiveReadyCallbackFiresOnElementAndOnClose() {
        Channel<Integer> ch = Channel.bounded(4);
        AtomicInteger fired = new AtomicInteger();
        ch.onReceiveReady(fired::incrementAndGet);
        assertEquals(0, fired.get());
        ch.trySend(1);
        assertEquals(1, fired.get());
        ch.tryReceive();
        ch.onReceiveReady(fired::incrementAndGet);
        ch.close();
        assertEquals(2, fired.get());
    }

    static Thread threadOf(Routine<?> r) {
        return r.thread();
    }
}

package dev.gust.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hammers channels from virtual and platform threads at once and checks exactly-once delivery,
 * FIFO per sender, and that timed-out or interrupted operations lose and duplicate nothing.
 */
@Timeout(60)
class ChannelStressTest {
    static final int SENDERS = 6;
    static final int RECEIVERS = 6;
    static final int PER_SENDER = 20_000;

    static Channel<Long> channel(int capacity) {
        return capacity < 0 ? Channel.unbounded() : Channel.bounded(capacity);
    }

    static Thread start(int i, Runnable r) {
        // half virtual, half platform threads
        return (i % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true)).start(r);
    }

    /** Element encoding: sender id in the high bits, sequence number in the low bits. */
    static long element(int sender, int seq) {
        return ((long) sender << 32) | seq;
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16, -1})
    void exactlyOnceAndFifoPerSender(int capacity) throws Exception {
        Channel<Long> ch = channel(capacity);
        AtomicIntegerArray seen = new AtomicIntegerArray(SENDERS * PER_SENDER);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < SENDERS; s++) {
            int id = s;
            threads.add(start(s, () -> {
                try {
                    for (int i = 0; i < PER_SENDER; i++) {
                        long e = element(id, i);
                        switch (i % 3) {
                            case 0 -> ch.send(e);
                            case 1 -> {
                                while (!ch.trySend(e)) {
                                    Thread.onSpinWait();
                                    Thread.yield();
                                }
                            }
                            default -> {
                                while (!ch.send(e, Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 50_000)))) {
                                    // timed out: retry the same element; it must not be delivered twice
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        List<Thread> receivers = new ArrayList<>();
        for (int r = 0; r < RECEIVERS; r++) {
            int id = r;
            receivers.add(start(r + 1, () -> {
                int[] last = new int[SENDERS];
                java.util.Arrays.fill(last, -1);
                try {
                    for (int n = 0; ; n++) {
                        Long e;
                        switch (n % 3) {
                            case 0 -> e = ch.receiveOrNull();
                            case 1 -> {
                                e = ch.receive(Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 50_000)));
                                if (e == null) {
                                    continue;
                                }
                            }
                            default -> {
                                try {
                                    e = ch.tryReceive();
                                } catch (ChannelClosedException closed) {
                                    e = null;
                                }
                                if (e == null && !ch.isClosedForReceive()) {
                                    continue;
                                }
                            }
                        }
                        if (e == null) {
                            return;
                        }
                        int sender = (int) (e >>> 32);
                        int seq = (int) (long) e;
                        if (seq <= last[sender]) {
                            errors.add(new AssertionError("receiver " + id + ": FIFO violated for sender " + sender));
                        }
                        last[sender] = seq;
                        if (seen.getAndIncrement(sender * PER_SENDER + seq) != 0) {
                            errors.add(new AssertionError("duplicate " + sender + "/" + seq));
                        }
                    }
                } catch (ChannelClosedException closed) {
                    // receive(Duration) on a closed channel
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        ch.close();
        for (Thread t : receivers) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "element " + i + " lost or duplicated");
        }
    }

    /**
     * Receivers are interrupted at random while blocked. Every element the senders managed to send
     * must be received exactly once, by some receiver, interrupted or not.
     */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 4})
    void interruptsNeverLoseElements(int capacity) throws Exception {
        Channel<Long> ch = channel(capacity);
        int total = 40_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        AtomicLong interrupted = new AtomicLong();
        List<Thread> receivers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            receivers.add(start(r, () -> {
                for (;;) {
                    try {
                        Long e = ch.receiveOrNull();
                        if (e == null) {
                            return;
                        }
                        seen.incrementAndGet((int) (long) e);
                    } catch (InterruptedException ie) {
                        interrupted.incrementAndGet();
                    }
                }
            }));
        }
        Thread sender = start(0, () -> {
            try {
                for (int i = 0; i < total; i++) {
                    ch.send((long) i);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Thread chaos = Thread.ofPlatform().daemon(true).start(() -> {
            while (sender.isAlive()) {
                receivers.get(ThreadLocalRandom.current().nextInt(receivers.size())).interrupt();
                Thread.onSpinWait();
            }
        });
        sender.join();
        chaos.join();
        ch.close();
        for (Thread t : receivers) {
            t.join();
        }
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen.get(i), "element " + i);
        }
        assertTrue(interrupted.get() > 0 || total > 0);
    }

    /** Senders are interrupted at random: an element is received iff its send returned normally. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 2})
    void interruptedSendsAreWithdrawnCompletedOnesDelivered(int capacity) throws Exception {
        Channel<Long> ch = channel(capacity);
        int perSender = 10_000;
        int senders = 4;
        AtomicIntegerArray sent = new AtomicIntegerArray(senders * perSender);
        AtomicIntegerArray seen = new AtomicIntegerArray(senders * perSender);
        List<Thread> sendThreads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int id = s;
            sendThreads.add(start(s, () -> {
                for (int i = 0; i < perSender; i++) {
                    int k = id * perSender + i;
                    try {
                        ch.send((long) k);
                        sent.set(k, 1);
                    } catch (InterruptedException e) {
                        // withdrawn
                    }
                }
                Thread.interrupted();
            }));
        }
        Thread receiver = start(1, () -> {
            for (Long e; (e = receiveQuietly(ch)) != null; ) {
                seen.incrementAndGet((int) (long) e);
            }
        });
        Thread chaos = Thread.ofPlatform().daemon(true).start(() -> {
            while (sendThreads.stream().anyMatch(Thread::isAlive)) {
                sendThreads.get(ThreadLocalRandom.current().nextInt(senders)).interrupt();
                Thread.onSpinWait();
            }
        });
        for (Thread t : sendThreads) {
            t.join();
        }
        chaos.join();
        ch.close();
        receiver.join();
        for (int k = 0; k < senders * perSender; k++) {
            assertEquals(sent.get(k), seen.get(k), "element " + k + ": sent " + sent.get(k) + " but seen " + seen.get(k));
        }
    }

    static Long receiveQuietly(Channel<Long> ch) {
        try {
            return ch.receiveOrNull();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.gust.channels;

import static dev.gust.channels.Select.select;
import static dev.gust.channels.Select.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Selects racing each other, plain receivers, timeouts and interrupts over shared channels: every
 * element sent is received exactly once, and a select that loses, times out or is interrupted takes
 * nothing.
 */
@Timeout(60)
class SelectStressTest {

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 3})
    void selectsAndPlainReceiversShareWorkExactlyOnce(int capacity) throws Exception {
        int chans = 3;
        int perChan = 15_000;
        List<Channel<Integer>> cs = new ArrayList<>();
        for (int i = 0; i < chans; i++) {
            cs.add(Channel.bounded(capacity));
        }
        AtomicIntegerArray seen = new AtomicIntegerArray(chans * perChan);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicLong timeouts = new AtomicLong();
        AtomicLong interrupts = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        // Senders: a plain sender per channel, plus select-senders sending on a random channel.
        for (int c = 0; c < chans; c++) {
            int id = c;
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < perChan; i += 2) {
                        cs.get(id).send(id * perChan + i);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
            senders.add((c % 2 == 0 ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual()).start(() -> {
                try {
                    // odd elements: offered to channel id and to a random other channel is not
                    // allowed (the element belongs to one channel), so race two sends of the same
                    // channel's element against a timeout: at most one may win, retry until one did.
                    for (int i = 1; i < perChan; i += 2) {
                        int e = id * perChan + i;
                        while (select(cs.get(id).onSend(e), timeout(Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 20_000)))) != 0) {
                            timeouts.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        // Receivers: selects over all channels (with timeouts), and plain receivers.
        List<Thread> receivers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            boolean useSelect = r < 3;
            int rid = r;
            receivers.add((r % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true)).start(() -> {
                SelectCase[] cases = new SelectCase[chans + 1];
                int[] closed = {0};
                for (int c = 0; c < chans; c++) {
                    cases[c] = cs.get(c).onReceive(e -> {
                        if (seen.getAndIncrement(e) != 0) {
                            errors.add(new AssertionError("duplicate " + e));
                        }
                    }, () -> closed[0]++);
                }
                cases[chans] = timeout(Duration.ofMillis(1 + rid));
                try {
                    while (true) {
                        if (useSelect) {
                            closed[0] = 0;
                            try {
                                int i = select(cases);
                                if (i == chans) {
                                    timeouts.incrementAndGet();
                                }
                            } catch (InterruptedException ie) {
                                interrupts.incrementAndGet();
                            }
                            if (closed[0] > 0 && cs.stream().allMatch(Channel::isClosedForReceive)) {
                                return;
                            }
                        } else {
                            Integer e = cs.get(rid % chans).receiveOrNull();
                            if (e == null) {
                                return;
                            }
                            if (seen.getAndIncrement(e) != 0) {
                                errors.add(new AssertionError("duplicate " + e));
                            }
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        Thread chaos = Thread.ofPlatform().daemon(true).start(() -> {
            while (senders.stream().anyMatch(Thread::isAlive)) {
                receivers.get(ThreadLocalRandom.current().nextInt(3)).interrupt();
                Thread.onSpinWait();
            }
        });
        for (Thread t : senders) {
            t.join();
        }
        chaos.join();
        for (Channel<Integer> c : cs) {
            c.close();
        }
        for (Thread t : receivers) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "element " + i);
        }
    }
}

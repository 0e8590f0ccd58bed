package dev.gust.channels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lincheck-style: run tiny random concurrent scenarios of non-blocking operations on a bounded
 * channel from 3 platform threads, record when each operation started and ended, and check the
 * history is linearizable against a sequential bounded FIFO queue (Wing-Gong search).
 */
@Timeout(60)
class LinearizabilityTest {
    static final int THREADS = 3;
    static final int OPS = 3;

    /** One operation: trySend(value) -> sent?, or tryReceive() -> value or 0 for none. */
    record Op(int thread, boolean send, int value, long start, long end, int result) {
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {1, 2})
    void tryOperationsAreLinearizable(int capacity) throws Exception {
        for (int round = 0; round < 600; round++) {
            Channel<Integer> ch = Channel.bounded(capacity);
            int prefill = ThreadLocalRandom.current().nextInt(capacity + 1);
            for (int i = 0; i < prefill; i++) {
                ch.trySend(1000 + i);
            }
            List<List<Op>> perThread = runScenario(ch);
            List<Op> history = new ArrayList<>();
            for (List<Op> l : perThread) {
                history.addAll(l);
            }
            ArrayDeque<Integer> model = new ArrayDeque<>();
            for (int i = 0; i < prefill; i++) {
                model.add(1000 + i);
            }
            assertTrue(linearizable(history, new boolean[history.size()], model, capacity),
                    () -> "not linearizable: " + history);
        }
    }

    private static List<List<Op>> runScenario(Channel<Integer> ch) throws InterruptedException {
        List<List<Op>> out = new ArrayList<>();
        AtomicInteger ready = new AtomicInteger();
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            List<Op> mine = new ArrayList<>();
            out.add(mine);
            boolean[] sends = new boolean[OPS];
            for (int i = 0; i < OPS; i++) {
                sends[i] = ThreadLocalRandom.current().nextBoolean();
            }
            ts[t] = Thread.ofPlatform().start(() -> {
                ready.incrementAndGet();
                while (ready.get() < THREADS) {
                    Thread.yield();
                }
                for (int i = 0; i < OPS; i++) {
                    int v = 1 + id * OPS + i;
                    long start = System.nanoTime();
                    int result;
                    if (sends[i]) {
                        result = ch.trySend(v) ? 1 : 0;
                    } else {
                        Integer x = ch.tryReceive();
                        result = x == null ? 0 : x;
                    }
                    long end = System.nanoTime();
                    mine.add(new Op(id, sends[i], v, start, end, result));
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        return out;
    }

    /** Depth-first search for a legal sequential order consistent with real time. */
    private static boolean linearizable(List<Op> ops, boolean[] done, ArrayDeque<Integer> model, int capacity) {
        boolean all = true;
        for (int i = 0; i < ops.size(); i++) {
            if (done[i]) {
                continue;
            }
            all = false;
            Op op = ops.get(i);
            // op may go next only if no other pending op ended before op started
            boolean minimal = true;
            for (int j = 0; j < ops.size(); j++) {
                if (!done[j] && j != i && ops.get(j).end() < op.start()) {
                    minimal = false;
                    break;
                }
            }
            if (!minimal) {
                continue;
            }
            ArrayDeque<Integer> next = new ArrayDeque<>(model);
            boolean ok;
            if (op.send()) {
                boolean canSend = next.size() < capacity;
                ok = (op.result() == 1) == canSend;
                if (canSend) {
                    next.add(op.value());
                }
            } else {
                Integer head = next.poll();
                ok = head == null ? op.result() == 0 : head == op.result();
            }
            if (ok) {
                done[i] = true;
                if (linearizable(ops, done, next, capacity)) {
                    return true;
                }
                done[i] = false;
            }
        }
        return all;
    }
}

package dev.gust.bench.channels;

import com.softwaremill.jox.Select;
import dev.gust.channels.Channel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/**
 * How late does a 1 ms select timeout fire? Each sample is the wall time of one select over an empty
 * channel with a 1 ms timeout, on virtual threads: sequentially (one routine) and under load (1,000
 * routines at once). Gust (timer wheel, untimed park) vs jox ({@code selectOrClosedWithin},
 * parkNanos) vs {@code LinkedTransferQueue.poll(1 ms)} (parkNanos).
 *
 * <pre>
 * java -cp "gust-bench/target/classes:gust-bench/target/lib/*" dev.gust.bench.channels.TimeoutAccuracy
 * </pre>
 */
public final class TimeoutAccuracy {
    interface TimedWait {
        void await1ms() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 2; round++) { // first round warms up
            for (String impl : new String[] {"gust", "jox", "ltq"}) {
                run(impl, 1, 2000, round == 1);
                run(impl, 1000, 20, round == 1);
            }
        }
    }

    static TimedWait create(String impl) {
        Duration d = Duration.ofMillis(1);
        return switch (impl) {
            case "gust" -> {
                Channel<Object> ch = Channel.rendezvous();
                var cases = new dev.gust.channels.SelectCase[] {ch.onReceive(x -> { }), dev.gust.channels.Select.timeout(d)};
                yield () -> dev.gust.channels.Select.select(cases);
            }
            case "jox" -> {
                var ch = com.softwaremill.jox.Channel.newRendezvousChannel();
                yield () -> Select.selectOrClosedWithin(d, "timeout", ch.receiveClause());
            }
            default -> {
                var q = new LinkedTransferQueue<Object>();
                yield () -> q.poll(1, TimeUnit.MILLISECONDS);
            }
        };
    }

    static void run(String impl, int routines, int perRoutine, boolean print) throws Exception {
        long[] samples = new long[routines * perRoutine];
        Thread[] ts = new Thread[routines];
        for (int r = 0; r < routines; r++) {
            int base = r * perRoutine;
            TimedWait w = create(impl);
            ts[r] = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < perRoutine; i++) {
                        long t0 = System.nanoTime();
                        w.await1ms();
                        samples[base + i] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        Arrays.sort(samples);
        double mean = Arrays.stream(samples).average().orElse(0) / 1000.0;
        if (print) {
            System.out.printf("%-5s routines=%-5d samples=%-6d mean=%7.1f us  p50=%7.1f  p99=%7.1f  max=%8.1f  (1 ms timeout)%n",
                    impl, routines, samples.length, mean, samples[samples.length / 2] / 1000.0,
                    samples[(int) (samples.length * 0.99)] / 1000.0, samples[samples.length - 1] / 1000.0);
        }
    }
}

package dev.gust.bench.channels;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Message passing between virtual threads, Gust vs jox vs java.util.concurrent. Every invocation
 * starts fresh virtual threads that pass {@link #N} messages; the score is ns per message.
 *
 * <ul>
 *   <li>{@code rendezvous}: one producer streams to one consumer over a rendezvous channel.</li>
 *   <li>{@code pingPong}: two routines bounce a message over two rendezvous channels (score per
 *       one-way message, i.e. half a round trip).</li>
 *   <li>{@code buffered1p1c} / {@code buffered4p4c}: capacity 16, 1 or 4 producers and consumers
 *       (for {@code ltq} the queue is unbounded).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChannelBench {
    static final int N = 100_000;

    @State(Scope.Benchmark)
    public static class Rendezvous {
        @Param({"gust", "jox", "sq", "ltq"})
        String impl;
        Pipe a;
        Pipe b;

        @Setup(Level.Trial)
        public void setup() {
            a = Pipe.create(impl, 0);
            b = Pipe.create(impl, 0);
        }
    }

    @State(Scope.Benchmark)
    public static class Buffered {
        @Param({"gust", "jox", "abq", "ltq"})
        String impl;
        Pipe a;

        @Setup(Level.Trial)
        public void setup() {
            a = Pipe.create(impl, 16);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void rendezvous(Rendezvous s) throws Exception {
        stream(s.a, 1, 1);
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public void pingPong(Rendezvous s) throws Exception {
        Pipe ping = s.a;
        Pipe pong = s.b;
        new Vt().start(() -> {
            for (int i = 0; i < N; i++) {
                ping.send(Pipe.MSG);
                pong.receive();
            }
        }).start(() -> {
            for (int i = 0; i < N; i++) {
                pong.send(ping.receive());
            }
        }).join();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void buffered1p1c(Buffered s) throws Exception {
        stream(s.a, 1, 1);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void buffered4p4c(Buffered s) throws Exception {
        stream(s.a, 4, 4);
    }

    static void stream(Pipe p, int producers, int consumers) throws InterruptedException {
        Vt vt = new Vt();
        for (int i = 0; i < producers; i++) {
            vt.start(() -> {
                for (int k = N / producers; k > 0; k--) {
                    p.send(Pipe.MSG);
                }
            });
        }
        for (int i = 0; i < consumers; i++) {
            vt.start(() -> {
                for (int k = N / consumers; k > 0; k--) {
                    p.receive();
                }
            });
        }
        vt.join();
    }
}

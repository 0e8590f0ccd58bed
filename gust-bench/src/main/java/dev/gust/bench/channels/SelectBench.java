package dev.gust.bench.channels;

import com.softwaremill.jox.Select;
import dev.gust.channels.Channel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Select over two channels, Gust vs jox (java.util.concurrent has no select).
 *
 * <ul>
 *   <li>{@code *Rendezvous}: a consumer routine selects over two rendezvous channels, each fed by its
 *       own producer routine; ns per select (= per message). Cases are built per select, as in
 *       idiomatic code.</li>
 *   <li>{@code *BufferedReady}: one thread; two channels of capacity 16 that always hold elements;
 *       each op is one select that receives from one of them, plus one (non-blocking) send that puts
 *       an element back into the chosen channel.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectBench {
    static final int N = 100_000;
    static final Object MSG = "m";

    Channel<Object> g1;
    Channel<Object> g2;
    com.softwaremill.jox.Channel<Object> j1;
    com.softwaremill.jox.Channel<Object> j2;
    Consumer<Object> sink;
    Object last;

    @Setup(Level.Iteration)
    public void setup() throws InterruptedException {
        g1 = Channel.bounded(16);
        g2 = Channel.bounded(16);
        j1 = com.softwaremill.jox.Channel.newBufferedChannel(16);
        j2 = com.softwaremill.jox.Channel.newBufferedChannel(16);
        for (int i = 0; i < 8; i++) {
            g1.send(MSG);
            g2.send(MSG);
            j1.send(MSG);
            j2.send(MSG);
        }
        sink = x -> last = x;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void gustRendezvous() throws Exception {
        Channel<Object> a = Channel.rendezvous();
        Channel<Object> b = Channel.rendezvous();
        Consumer<Object> onA = x -> { };
        Consumer<Object> onB = x -> { };
        new Vt().start(() -> {
            for (int i = 0; i < N; i++) {
                dev.gust.channels.Select.select(a.onReceive(onA), b.onReceive(onB));
            }
        }).start(() -> {
            for (int i = 0; i < N / 2; i++) {
                a.send(MSG);
            }
        }).start(() -> {
            for (int i = 0; i < N / 2; i++) {
                b.send(MSG);
            }
        }).join();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void joxRendezvous() throws Exception {
        var a = com.softwaremill.jox.Channel.newRendezvousChannel();
        var b = com.softwaremill.jox.Channel.newRendezvousChannel();
        new Vt().start(() -> {
            for (int i = 0; i < N; i++) {
                Select.select(a.receiveClause(), b.receiveClause());
            }
        }).start(() -> {
            for (int i = 0; i < N / 2; i++) {
                a.send(MSG);
            }
        }).start(() -> {
            for (int i = 0; i < N / 2; i++) {
                b.send(MSG);
            }
        }).join();
    }

    @Benchmark
    public int gustBufferedReady() throws InterruptedException {
        int i = dev.gust.channels.Select.select(g1.onReceive(sink), g2.onReceive(sink));
        (i == 0 ? g1 : g2).send(MSG);
        return i;
    }

    @Benchmark
    public Object joxBufferedReady(Blackhole bh) throws InterruptedException {
        Object x = Select.select(j1.receiveClause(v -> j1), j2.receiveClause(v -> j2));
        ((com.softwaremill.jox.Channel<Object>) x).send(MSG);
        return x;
    }
}

package dev.gust.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "No thread per socket, no busy polling", measured: many idle streams, each with a virtual thread
 * parked in read, cost no platform threads and no loop CPU (run on nio, epoll and io_uring).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleStreamsTest {
    private static final int STREAMS = 200;

    @Test
    void parkedReadersCostNoPlatformThreadsAndNoLoopCpu() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Its own loops, so that only these streams' work shows in their CPU time.
        LoopGroup group = IoRuntime.startGroup(2);
        StreamOptions options = StreamOptions.defaults().withGroup(group);
        List<Long> loopThreads = new ArrayList<>();
        for (Loop loop : group.loops()) {
            CompletableFuture<Long> id = new CompletableFuture<>();
            loop.runOnLoop(() -> id.complete(Thread.currentThread().threadId()));
            loopThreads.add(id.get(5, TimeUnit.SECONDS));
        }
        List<TcpStream> all = new ArrayList<>();
        ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();
        try (TcpListener listener = TcpListener.bind("127.0.0.1", 0, options)) {
            // Warm up: a connect, an accept and a timed read bring up the carriers and the JDK's helpers.
            try (TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port(), Duration.ZERO, options)).get();
                 TcpStream s = listener.accept(Duration.ofSeconds(5))) {
                vts.submit(() -> {
                    try {
                        return c.read(ByteBuffer.allocate(1), Duration.ofMillis(20));
                    } catch (SocketTimeoutException expected) {
                        return 0;
                    }
                }).get();
                s.writeAll(new byte[] {1});
                assertEquals(1, vts.submit(() -> c.read(new byte[1])).get());
            }
            Thread.sleep(300);
            int threadsBefore = mx.getThreadCount();

            AtomicInteger parked = new AtomicInteger();
            List<Future<Integer>> clientReads = new ArrayList<>();
            List<Future<Integer>> serverReads = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port(), Duration.ZERO, options)).get();
                TcpStream s = listener.accept(Duration.ofSeconds(5));
                all.add(c);
                all.add(s);
                for (TcpStream stream : List.of(c, s)) {
                    (stream == c ? clientReads : serverReads).add(vts.submit(() -> {
                        parked.incrementAndGet();
                        return stream.read(new byte[16]); // parks: nobody writes yet
                    }));
                }
            }
            while (parked.get() < 2 * STREAMS) Thread.sleep(10);
            Thread.sleep(300); // let every reader reach its park

            int threadsWith = mx.getThreadCount();
            assertTrue(threadsWith - threadsBefore <= 8, STREAMS + " streams with " + 2 * STREAMS
                    + " parked readers added " + (threadsWith - threadsBefore) + " platform threads (" + threadsBefore
                    + " -> " + threadsWith + ")");

            long cpuBefore = cpuNanos(mx, loopThreads);
            Thread.sleep(1000);
            long loopCpu = cpuNanos(mx, loopThreads) - cpuBefore;
            // Busy polling would be ~1 s per loop; an idle loop sleeps in the kernel.
            assertTrue(loopCpu < TimeUnit.MILLISECONDS.toNanos(50),
                    "the loops used " + loopCpu / 1_000_000 + " ms of CPU in 1 s while every reader was parked");
            for (Future<Integer> f : clientReads) assertFalse(f.isDone(), "a reader returned with no data");

            // And they were really waiting: a byte to each wakes every one of them.
            for (int i = 0; i < STREAMS; i++) all.get(2 * i + 1).writeAll(new byte[] {7});
            for (Future<Integer> f : clientReads) assertEquals(1, f.get(10, TimeUnit.SECONDS));
            for (Future<Integer> f : serverReads) assertFalse(f.isDone());
            // The clock does see loop work (so the idle reading above is no artefact of it).
            assertTrue(cpuNanos(mx, loopThreads) > cpuBefore + loopCpu, "no loop CPU for waking " + STREAMS + " readers");
        } finally {
            for (TcpStream s : all) s.close(); // fails the readers still parked
            vts.shutdownNow();
            group.close();
        }
    }

    private static long cpuNanos(ThreadMXBean mx, List<Long> threads) {
        long sum = 0;
        for (long id : threads) {
            long t = mx.getThreadCpuTime(id);
            assertTrue(t >= 0, "no CPU time for loop thread " + id);
            sum += t;
        }
        return sum;
    }
}

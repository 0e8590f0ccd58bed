package dev.gust.loop;

import dev.gust.loop.spi.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * TCP echo ping-pong over loopback, one run per transport in the same JVM: N connections each
 * send 1 KiB and wait for it to come back, again and again. A server loop and a client loop (two
 * threads), both on the transport under test. Besides round trips per second it reports the CPU
 * time (user + system) of the two loop threads per round trip, which shared or busy machines
 * disturb far less than throughput.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp gust-loop/target/classes:gust-loop/target/test-classes \
 *     dev.gust.loop.EchoBenchmark [connections=64] [seconds=5] [transports=nio,epoll,io_uring] [rounds=3]
 * </pre>
 */
public final class EchoBenchmark {
    private static final int SIZE = 1024;

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] names = (args.length > 2 ? args[2] : "nio,epoll,io_uring").split(",");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        java.util.Map<String, List<Double>> rates = new java.util.LinkedHashMap<>(), cpus = new java.util.HashMap<>(),
                allocs = new java.util.HashMap<>();
        // Round 0 warms every transport up; the measured rounds interleave transports so that noise
        // from other processes on the machine hits them alike.
        for (int round = 0; round <= rounds; round++) {
            for (String name : names) {
                Transport t = Transports.named(name);
                if (t == null) {
                    System.out.println(name + ": not available");
                    continue;
                }
                double rate = run(t, connections, round == 0 ? 2 : seconds);
                System.out.printf("%s %-8s %3d conns x 1 KiB: %,10.0f round trips/s, %,6.0f ns CPU, %.1f B allocated per round trip%n",
                        round == 0 ? "warmup" : "round " + round, name, connections, rate, lastCpuPerTrip, lastAllocPerTrip);
                if (round > 0) {
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
                    cpus.computeIfAbsent(name, k -> new ArrayList<>()).add(lastCpuPerTrip);
                    allocs.computeIfAbsent(name, k -> new ArrayList<>()).add(lastAllocPerTrip);
                }
            }
        }
        System.out.println("--- median of " + rounds + " rounds");
        rates.forEach((name, list) -> {
            list.sort(null);
            double median = list.get(list.size() / 2);
            List<Double> cpu = cpus.get(name);
            cpu.sort(null);
            List<Double> alloc = allocs.get(name);
            alloc.sort(null);
            System.out.printf("%-8s %3d conns x 1 KiB: %,10.0f round trips/s (%,.1f MiB/s each way), %,6.0f ns CPU, %.1f B allocated per round trip%n",
                    name, connections, median, median * SIZE / (1 << 20), cpu.get(cpu.size() / 2), alloc.get(alloc.size() / 2));
        });
    }

    /** CPU time (user + system, both loop threads) per round trip of the last run, in ns. */
    static double lastCpuPerTrip;
    /** Heap bytes the two loop threads allocated per round trip in the last run (steady-state churn). */
    static double lastAllocPerTrip;

    static double run(Transport transport, int connections, int seconds) throws Exception {
        LoopOptions options = LoopOptions.defaults().withTransport(transport);
        LongAdder trips = new LongAdder();
        byte[] payload = new byte[SIZE];
        try (Loop server = Loop.create(options.withName("echo-server")).start();
             Loop client = Loop.create(options.withName("echo-client")).start()) {
            int port = OnLoop.call(server, () -> SocketContext.create(server, null, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    s.write(data);
                }
            }).listen("127.0.0.1", 0).port());
            OnLoop.run(client, () -> {
                var ctx = SocketContext.create(client, null, new SocketHandler<int[]>() {
                    @Override
                    public void onOpen(Socket<int[]> s, boolean isClient, java.net.InetSocketAddress remote) {
                        s.state(new int[1]);
                        s.write(payload);
                    }

                    @Override
                    public void onData(Socket<int[]> s, ByteBuffer data) {
                        int[] got = s.state();
                        got[0] += data.remaining();
                        while (got[0] >= SIZE) {
                            got[0] -= SIZE;
                            trips.increment();
                            s.write(payload);
                        }
                    }
                });
                for (int i = 0; i < connections; i++) ctx.connect("127.0.0.1", port);
            });
            Thread.sleep(300);
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long serverThread = OnLoop.call(server, () -> Thread.currentThread().threadId());
            long clientThread = OnLoop.call(client, () -> Thread.currentThread().threadId());
            long cpu0 = threads.getThreadCpuTime(serverThread) + threads.getThreadCpuTime(clientThread);
            var alloc = (com.sun.management.ThreadMXBean) threads;
            long alloc0 = alloc.getThreadAllocatedBytes(serverThread) + alloc.getThreadAllocatedBytes(clientThread);
            long start = System.nanoTime();
            long before = trips.sum();
            TimeUnit.SECONDS.sleep(seconds);
            long done = trips.sum() - before;
            long cpu = threads.getThreadCpuTime(serverThread) + threads.getThreadCpuTime(clientThread) - cpu0;
            lastCpuPerTrip = done == 0 ? 0 : (double) cpu / done;
            long allocated = alloc.getThreadAllocatedBytes(serverThread) + alloc.getThreadAllocatedBytes(clientThread) - alloc0;
            lastAllocPerTrip = done == 0 ? 0 : (double) allocated / done;
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }
}

package dev.gust.loop;

import dev.gust.loop.spi.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heap per idle server-side socket: a loop on the given transport accepts N loopback connections
 * (opened by a child JVM, so both ends do not share this process's fd limit) and the heap is
 * compared after a full GC before and after. Run one transport per JVM:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp gust-loop/target/classes:gust-loop/target/test-classes \
 *     dev.gust.loop.IdleMemory epoll 10000
 * </pre>
 */
public final class IdleMemory {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Transport transport = Transports.named(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        AtomicInteger open = new AtomicInteger();
        try (Loop loop = Loop.create(LoopOptions.defaults().withTransport(transport)).start()) {
            int port = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                    open.incrementAndGet();
                }
            }).listen("127.0.0.1", 0, ListenOptions.defaults().withBacklog(4096)).port());
            // Warm up the accept path so one-time allocations are in the baseline.
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                while (open.get() < 1) Thread.sleep(1);
            }
            Thread.sleep(200);
            long before = usedHeap();
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), IdleMemory.class.getName(), "clients", "" + n, "" + port)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            String line = out.readLine(); // "ready" once all are connected
            while (open.get() < n + 1) Thread.sleep(10);
            Thread.sleep(300);
            long after = usedHeap();
            System.out.printf("%s: %d idle sockets, heap %,d -> %,d bytes: %,d bytes per socket (child said %s)%n",
                    transport.name(), n, before, after, (after - before) / n, line);
            child.getOutputStream().close();
            child.waitFor();
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void clients(int n, int port) throws Exception {
        List<SocketChannel> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) all.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
        System.out.println("ready");
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
        for (SocketChannel c : all) c.close();
    }
}

package dev.gust.loop;

import dev.gust.loop.spi.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What "many loops" costs, per transport: (1) hand-offs per second of one connection bounced
 * between two loops by {@link Socket#moveTo} (detach, cross-loop message, adopt, onAdopted), with a
 * round trip through the peer after every 100 moves to prove it still works; (2) connections per
 * second (connect, 1-byte echo, close) on a 2-loop group with REUSE_PORT and with ACCEPTOR.
 * Client-side blocking sockets on platform threads; numbers are for comparing, not absolute.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp gust-loop/target/classes:gust-loop/target/test-classes \
 *     dev.gust.loop.ManyLoopsBenchmark [seconds=3] [transports=nio,epoll,io_uring]
 * </pre>
 */
public final class ManyLoopsBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String[] names = (args.length > 1 ? args[1] : "nio,epoll,io_uring").split(",");
        for (String name : names) {
            Transport t = Transports.named(name);
            if (t == null) {
                System.out.println(name + ": not available");
                continue;
            }
            LoopOptions options = LoopOptions.defaults().withTransport(t);
            moves(options, 1); // warm-up
            double moves = moves(options, seconds);
            connections(options, ListenOptions.Distribution.REUSE_PORT, 1);
            double reuse = connections(options, ListenOptions.Distribution.REUSE_PORT, seconds);
            connections(options, ListenOptions.Distribution.ACCEPTOR, 1);
            double acceptor = connections(options, ListenOptions.Distribution.ACCEPTOR, seconds);
            System.out.printf("%-9s moves/s %,10.0f   conns/s reuse-port %,8.0f   acceptor %,8.0f%n",
                    name, moves, reuse, acceptor);
        }
    }

    /** One connection bounced between two loops; every 100th adoption echoes a byte through the peer. */
    private static double moves(LoopOptions options, int seconds) throws Exception {
        LongAdder adopted = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        try (LoopGroup group = LoopGroup.create(2, options).start()) {
            @SuppressWarnings("unchecked")
            SocketContext<Void, Long>[] ctx = new SocketContext[2];
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                Loop l = group.loop(i);
                ctx[i] = OnLoop.call(l, () -> SocketContext.create(l, null, new SocketHandler<Long>() {
                    @Override
                    public void onOpen(Socket<Long> s, boolean isClient, java.net.InetSocketAddress remote) {
                        s.moveTo(ctx[other], 0L);
                    }

                    @Override
                    public void onAdopted(Socket<Long> s) {
                        adopted.increment();
                        long n = s.state() + 1;
                        if (stop.get()) return;
                        if (n % 100 == 0) s.write(new byte[] {'?'}); // wait for the peer's answer, then move on
                        else s.moveTo(ctx[other], n);
                    }

                    @Override
                    public void onData(Socket<Long> s, ByteBuffer data) {
                        data.position(data.limit());
                        if (!stop.get()) s.moveTo(ctx[other], s.state() + 1);
                    }
                }));
            }
            int port = OnLoop.call(group.loop(0), () -> ctx[0].listen("127.0.0.1", 0).port());
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                Thread peer = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (in.read() == '?') out.write('!');
                    } catch (java.io.IOException ignored) {
                        // closed at the end
                    }
                });
                long start = System.nanoTime(), before = adopted.sum();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                long count = adopted.sum() - before;
                double rate = count / ((System.nanoTime() - start) / 1e9);
                stop.set(true);
                c.close();
                peer.join(2000);
                return rate;
            }
        }
    }

    /** Two client threads: connect, echo one byte, close with RST (no TIME_WAIT pile-up), again and again. */
    private static double connections(LoopOptions options, ListenOptions.Distribution distribution, int seconds)
            throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        try (LoopGroup group = LoopGroup.create(2, options).start()) {
            int port = group.listen("127.0.0.1", 0, ListenOptions.defaults().withDistribution(distribution),
                    loop -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                        @Override
                        public void onData(Socket<Void> s, ByteBuffer data) {
                            s.write(data);
                        }
                    })).getFirst().port();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
                            c.setSoLinger(true, 0);
                            c.getOutputStream().write('x');
                            if (c.getInputStream().read() == 'x') done.increment();
                        } catch (java.io.IOException e) {
                            // a reset under load: not counted
                        }
                    }
                }));
            }
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            double rate = done.sum() / ((System.nanoTime() - start) / 1e9);
            stop.set(true);
            for (Thread t : clients) t.join(5000);
            return rate;
        }
    }
}

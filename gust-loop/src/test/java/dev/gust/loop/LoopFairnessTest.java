package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One busy socket cannot starve the others on its loop: reads are one buffer per socket per pass
 * (level-triggered readiness brings the rest next pass) and writes have a per-socket budget per pass.
 * Liveness checks with generous bounds, not speed checks.
 */
@Timeout(90)
class LoopFairnessTest {

    /** Writes 16 KiB chunks for as long as the socket takes them: the drain loop that could monopolise. */
    static final class Firehose implements SocketHandler<long[]> {
        static final int CHUNK = 16 * 1024;
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        final long total;
        final AtomicLong maxPerCallback = new AtomicLong();

        Firehose(long total) {
            this.total = total;
        }

        static byte at(long i) {
            return (byte) (i * 13 + (i >>> 14));
        }

        @Override
        public void onOpen(Socket<long[]> s, boolean isClient, InetSocketAddress remote) {
            s.state(new long[1]);
            pump(s);
        }

        @Override
        public void onWritable(Socket<long[]> s) {
            pump(s);
        }

        private void pump(Socket<long[]> s) {
            long[] sent = s.state();
            long before = sent[0];
            boolean more = true;
            while (more && sent[0] < total && !s.isClosed()) {
                chunk.clear();
                int n = (int) Math.min(CHUNK, total - sent[0]);
                for (int i = 0; i < n; i++) chunk.put(i, at(sent[0] + i));
                chunk.limit(n);
                more = s.write(chunk);
                sent[0] += n;
            }
            maxPerCallback.accumulateAndGet(sent[0] - before, Math::max);
            if (sent[0] >= total) s.shutdown();
        }
    }

    @Test
    void aDrainCallbackWritesAtMostItsBudgetPerPassAndTheStreamStaysIntact() throws Exception {
        int budget = 64 * 1024;
        long total = 16L << 20;
        Firehose firehose = new Firehose(total);
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.defaults().withWriteBudget(100));
        try (Loop loop = Loop.create(LoopOptions.defaults().withWriteBudget(budget)).start()) {
            int port = OnLoop.call(loop, () -> SocketContext.create(loop, null, firehose).listen("127.0.0.1", 0).port());
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", port)) {
                c.setSoTimeout(30_000);
                InputStream in = c.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != Firehose.at(got + i)) fail("byte " + (got + i) + " out of order");
                    }
                    got += n;
                }
                assertEquals(total, got, "every byte, in order, then the FIN");
            }
        }
        // The budget is checked before each write: one chunk can cross it, never more.
        assertTrue(firehose.maxPerCallback.get() <= budget + Firehose.CHUNK,
                "a drain callback wrote " + firehose.maxPerCallback.get() + " bytes in one pass");
    }

    @Test
    void pingsKeepCompletingWhileOtherSocketsFloodTheLoop() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sunk = new AtomicLong(), streamed = new AtomicLong(), echoedBack = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        try (Loop loop = Loop.create().start()) {
            // A sink that reads everything, an echo that pushes back, a firehose that writes forever, a ping echo.
            int sinkPort = listen(loop, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    sunk.addAndGet(data.remaining());
                }
            });
            int echoPort = listen(loop, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    if (!s.write(data)) s.pauseReading();
                }

                @Override
                public void onWritable(Socket<Void> s) {
                    s.resumeReading();
                }
            });
            int firehosePort = listen(loop, new Firehose(Long.MAX_VALUE));
            int pingPort = listen(loop, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    s.write(data);
                }
            });

            byte[] junk = new byte[256 * 1024];
            clients.add(flood(stop, () -> {
                try (java.net.Socket c = new java.net.Socket("127.0.0.1", sinkPort)) {
                    OutputStream out = c.getOutputStream();
                    while (!stop.get()) out.write(junk);
                }
            }));
            java.net.Socket echoClient = new java.net.Socket("127.0.0.1", echoPort);
            clients.add(flood(stop, () -> {
                OutputStream out = echoClient.getOutputStream();
                while (!stop.get()) out.write(junk);
            }));
            clients.add(flood(stop, () -> drain(echoClient.getInputStream(), stop, echoedBack)));
            clients.add(flood(stop, () -> {
                try (java.net.Socket c = new java.net.Socket("127.0.0.1", firehosePort)) {
                    drain(c.getInputStream(), stop, streamed);
                }
            }));

            // Wait until every flood really flows, then ping.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((sunk.get() == 0 || streamed.get() == 0 || echoedBack.get() == 0) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(sunk.get() > 0 && streamed.get() > 0 && echoedBack.get() > 0,
                    "floods running: sunk " + sunk + ", streamed " + streamed + ", echoed " + echoedBack);

            int pings = 100;
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket c = new java.net.Socket("127.0.0.1", pingPort)) {
                    c.setTcpNoDelay(true);
                    byte[] ping = "ping-0123456789!".getBytes();
                    int completed = 0;
                    for (int i = 0; i < pings; i++) {
                        c.getOutputStream().write(ping);
                        byte[] pong = c.getInputStream().readNBytes(ping.length);
                        assertArrayEquals(ping, pong);
                        completed++;
                    }
                    return completed;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Liveness, not speed: on a loaded 2-core machine 100 round trips take milliseconds when fair.
            assertEquals(pings, done.get(10, TimeUnit.SECONDS));
            stop.set(true);
            echoClient.close();
        } finally {
            stop.set(true);
            for (Thread t : clients) t.join(10_000);
        }
    }

    private static int listen(Loop loop, SocketHandler<?> handler) throws Exception {
        return OnLoop.call(loop, () -> SocketContext.create(loop, null, handler).listen("127.0.0.1", 0).port());
    }

    interface IoTask {
        void run() throws IOException;
    }

    private static Thread flood(AtomicBoolean stop, IoTask task) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                task.run();
            } catch (IOException e) {
                if (!stop.get()) throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void drain(InputStream in, AtomicBoolean stop, AtomicLong count) throws IOException {
        byte[] buf = new byte[256 * 1024];
        int n;
        while (!stop.get() && (n = in.read(buf)) > 0) count.addAndGet(n);
    }
}

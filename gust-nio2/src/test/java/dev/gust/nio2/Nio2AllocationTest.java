package dev.gust.nio2;

import static dev.gust.nio2.Providers.loopback;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.Loop;
import dev.gust.loop.LoopOptions;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NIO.2 echo path (read completes, handler writes, write completes, handler reads) allocates
 * nothing per message on the loop thread in steady state beyond what the loop core's own echo
 * allocates on the same transport, measured with the JVM's per-thread allocation counter. 64-byte messages, so the {@code Integer} results the API forces stay in the
 * JDK's box cache (larger results cost one 16-byte box per completion, as with the JDK's provider).
 */
@Timeout(90)
class Nio2AllocationTest {
    private static final int WARMUP = 20_000, MEASURED = 20_000, SIZE = 64;

    private static long allocatedBy(Thread t) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(t.threadId());
    }

    private static void pingPong(SocketChannel c, ByteBuffer out, ByteBuffer in, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            out.clear();
            while (out.hasRemaining()) c.write(out);
            in.clear();
            while (in.hasRemaining()) assertTrue(c.read(in) > 0);
        }
    }

    /** Bytes the loop thread allocates per echo of {@link #SIZE} bytes: warm-up, then measured. */
    private static double perEcho(Thread loopThread, java.net.SocketAddress server) throws Exception {
        try (SocketChannel client = SocketChannel.open(server)) {
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE), in = ByteBuffer.allocateDirect(SIZE);
            pingPong(client, out, in, WARMUP); // JIT, buffers
            long before = allocatedBy(loopThread);
            pingPong(client, out, in, MEASURED);
            return (allocatedBy(loopThread) - before) / (double) MEASURED;
        }
    }

    /** The loop core's own echo on the same transport: what any layer above it starts from. */
    private static double loopCoreEcho() throws Exception {
        Loop loop = Loop.create(LoopOptions.defaults().withReadBufferSize(GustChannelGroup.READ_BUFFER_SIZE));
        SocketHandler<Void> echo = new SocketHandler<>() {
            public void onData(Socket<Void> s, ByteBuffer data) {
                s.write(data);
            }
        };
        ListenSocket ls = SocketContext.create(loop, null, echo).listen("127.0.0.1", 0);
        Thread t = Thread.ofPlatform().daemon(true).name("alloc-core").start(loop::run);
        try {
            return perEcho(t, ls.localAddress());
        } finally {
            loop.close();
        }
    }

    @Test
    void theNio2EchoPathAddsNoAllocationToTheLoopCores() throws Exception {
        double core = loopCoreEcho();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AsynchronousChannelGroup group = new GustAsynchronousChannelProvider().openAsynchronousChannelGroup(1, r -> {
            Thread t = Thread.ofPlatform().daemon(true).name("alloc-loop").unstarted(r);
            loopThread.set(t);
            return t;
        });
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group).bind(loopback(0))) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            // the client connects inside perEcho; serve it as soon as it is accepted
            Thread serve = Thread.ofPlatform().start(() -> {
                try {
                    Echo.serve(accepted.get(10, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            double nio2 = perEcho(loopThread.get(), server.getLocalAddress());
            serve.join();
            System.out.printf("transport %s: loop core echo %.1f B, NIO.2 echo %.1f B per echo on the loop thread%n",
                    System.getProperty("gust.transport"), core, nio2);
            // The transport may allocate on its own (the FFM transports do, on some JITs); the NIO.2
            // layer must add at most a few bytes of slack on top (timer wheel ticks).
            assertTrue(nio2 <= core + 8, "NIO.2 echo: " + nio2 + " B per echo on the loop thread; the loop core's own echo: "
                    + core + " B (transport " + System.getProperty("gust.transport") + ")");
        } finally {
            Providers.shutdown(group);
        }
    }
}

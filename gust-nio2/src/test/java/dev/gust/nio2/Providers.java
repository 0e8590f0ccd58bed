package dev.gust.nio2;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The two providers every parity test runs on: the JDK's own (what {@code provider()} returns
 * while the system property is unset, as in the test JVM) and Gust's. The same test code must see
 * the same results on both.
 */
final class Providers {
    private Providers() {}

    static Stream<Arguments> both() {
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        if (jdk instanceof GustAsynchronousChannelProvider) throw new AssertionError("test JVM must not select Gust");
        return Stream.of(Arguments.of("jdk", jdk), Arguments.of("gust", new GustAsynchronousChannelProvider()));
    }

    /** A fixed group of {@code n} threads named {@code prefix-i}. */
    static AsynchronousChannelGroup group(AsynchronousChannelProvider p, int n, String prefix) throws IOException {
        AtomicInteger i = new AtomicInteger();
        ThreadFactory tf = r -> Thread.ofPlatform().daemon(true).name(prefix + "-" + i.getAndIncrement()).unstarted(r);
        return p.openAsynchronousChannelGroup(n, tf);
    }

    static void shutdown(AsynchronousChannelGroup g) throws Exception {
        g.shutdownNow();
        if (!g.awaitTermination(10, TimeUnit.SECONDS)) throw new AssertionError("group did not terminate: " + g);
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** A plain blocking peer (the JDK tests use the same: a ServerSocketChannel). */
    static final class Peer implements AutoCloseable {
        final ServerSocketChannel ssc;
        final InetSocketAddress address;

        Peer() throws IOException {
            this(0);
        }

        Peer(int recvBuf) throws IOException {
            ssc = ServerSocketChannel.open();
            if (recvBuf > 0) ssc.setOption(java.net.StandardSocketOptions.SO_RCVBUF, recvBuf);
            ssc.bind(loopback(0));
            address = (InetSocketAddress) ssc.getLocalAddress();
        }

        SocketChannel accept() throws IOException {
            return ssc.accept();
        }

        @Override
        public void close() throws IOException {
            ssc.close();
        }
    }

    static final Random RAND = new Random(42);

    /** Random bytes, direct or heap at random (like the JDK test's genBuffer). */
    static ByteBuffer randomBuffer(int size) {
        byte[] b = new byte[size];
        RAND.nextBytes(b);
        ByteBuffer bb = RAND.nextBoolean() ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        bb.put(b).flip();
        return bb;
    }

    static ByteBuffer randomBuffer() {
        return randomBuffer(1024 + RAND.nextInt(16000));
    }
}

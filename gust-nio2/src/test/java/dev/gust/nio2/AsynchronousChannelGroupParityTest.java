package dev.gust.nio2;

import static dev.gust.nio2.Providers.loopback;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviours of the JDK's jtreg tests {@code java/nio/channels/AsynchronousChannelGroup/Basic.java},
 * {@code ShutdownNow}-style and {@code GroupOfOne}-style checks, same code on the JDK provider and on Gust's.
 */
@Timeout(60)
class AsynchronousChannelGroupParityTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void badArgumentsAreRefused(String name, AsynchronousChannelProvider p) {
        ThreadFactory tf = Thread.ofPlatform().daemon(true).factory();
        assertThrows(IllegalArgumentException.class, () -> p.openAsynchronousChannelGroup(0, tf));
        assertThrows(IllegalArgumentException.class, () -> p.openAsynchronousChannelGroup(-1, tf));
        assertThrows(NullPointerException.class, () -> p.openAsynchronousChannelGroup(null, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void shutdownOfAnEmptyGroupTerminatesIt(String name, AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = Providers.group(p, 2, "empty");
        assertFalse(g.isShutdown());
        assertFalse(g.isTerminated());
        g.shutdown();
        assertTrue(g.isShutdown());
        assertTrue(g.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
        g.shutdown(); // again: no effect
        g.shutdownNow();
        assertThrows(ShutdownChannelGroupException.class, () -> p.openAsynchronousSocketChannel(g));
        assertThrows(ShutdownChannelGroupException.class, () -> p.openAsynchronousServerSocketChannel(g));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void shutdownWaitsForTheLastChannelToClose(String name, AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = Providers.group(p, 1, "wait");
        AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(loopback(0));
        Future<AsynchronousSocketChannel> accepted = server.accept();
        AsynchronousSocketChannel ch = p.openAsynchronousSocketChannel(g);
        ch.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
        AsynchronousSocketChannel peer = accepted.get(10, TimeUnit.SECONDS);
        g.shutdown();
        assertTrue(g.isShutdown());
        assertThrows(ShutdownChannelGroupException.class, () -> p.openAsynchronousSocketChannel(g));
        assertFalse(g.awaitTermination(300, TimeUnit.MILLISECONDS), "open channels keep the group alive");
        assertFalse(g.isTerminated());
        // channels opened before still work
        assertEquals(4, ch.write(ByteBuffer.wrap("live".getBytes())).get(10, TimeUnit.SECONDS));
        ByteBuffer in = ByteBuffer.allocate(4);
        while (in.hasRemaining()) peer.read(in).get(10, TimeUnit.SECONDS);
        assertEquals("live", new String(in.array()));
        ch.close();
        peer.close();
        assertFalse(g.awaitTermination(100, TimeUnit.MILLISECONDS), "the server channel is still open");
        server.close();
        assertTrue(g.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void shutdownNowClosesEveryChannelAndFailsPendingHandlers(String name, AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = Providers.group(p, 2, "now");
        AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(loopback(0));
        Future<AsynchronousSocketChannel> accepted = server.accept();
        AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g);
        client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
        AsynchronousSocketChannel serverSide = accepted.get(10, TimeUnit.SECONDS);
        CompletableFuture<Integer> read = new CompletableFuture<>();
        client.read(ByteBuffer.allocate(10), null, new CompletionHandler<Integer, Void>() {
            public void completed(Integer n, Void a) {
                read.complete(n);
            }

            public void failed(Throwable exc, Void a) {
                read.completeExceptionally(exc);
            }
        });
        Future<AsynchronousSocketChannel> pendingAccept = server.accept();
        g.shutdownNow();
        assertTrue(g.isShutdown());
        assertFalse(client.isOpen());
        assertFalse(server.isOpen());
        assertFalse(serverSide.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        e = assertThrows(ExecutionException.class, () -> pendingAccept.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        assertTrue(g.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void handlersRunOnThreadsOfTheGroupsFactory(String name, AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = Providers.group(p, 1, "factory-made");
        try (AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(loopback(0))) {
            CompletableFuture<String> thread = new CompletableFuture<>();
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                public void completed(AsynchronousSocketChannel ch, Void a) {
                    thread.complete(Thread.currentThread().getName());
                }

                public void failed(Throwable exc, Void a) {
                    thread.completeExceptionally(exc);
                }
            });
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                assertTrue(thread.get(10, TimeUnit.SECONDS).startsWith("factory-made-"), thread.get());
            }
        } finally {
            Providers.shutdown(g);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void aGroupOnAnExecutorWorksAndShutsTheExecutorDownOnTermination(String name, AsynchronousChannelProvider p) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).name("cached-", 0).factory());
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(pool, 1);
        try (AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(loopback(0));
             AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g)) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            Echo.serve(accepted.get(10, TimeUnit.SECONDS));
            client.write(ByteBuffer.wrap("ping".getBytes())).get(10, TimeUnit.SECONDS);
            ByteBuffer in = ByteBuffer.allocate(4);
            while (in.hasRemaining()) client.read(in).get(10, TimeUnit.SECONDS);
            assertEquals("ping", new String(in.array()));
        }
        g.shutdownNow();
        assertTrue(g.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(pool.isShutdown(), "terminating the group shuts its executor down");
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void channelsOpenedWithoutAGroupUseTheDefaultGroupWithDaemonThreads(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(null).bind(loopback(0))) {
            CompletableFuture<Boolean> daemon = new CompletableFuture<>();
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                public void completed(AsynchronousSocketChannel ch, Void a) {
                    daemon.complete(Thread.currentThread().isDaemon());
                }

                public void failed(Throwable exc, Void a) {
                    daemon.completeExceptionally(exc);
                }
            });
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                assertTrue(daemon.get(10, TimeUnit.SECONDS), "default group threads must not keep the JVM alive");
            }
        }
    }

    @Test
    void eachProviderRefusesTheOthersGroups() throws Exception {
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        AsynchronousChannelProvider gust = new GustAsynchronousChannelProvider();
        AsynchronousChannelGroup jdkGroup = Providers.group(jdk, 1, "jdk");
        AsynchronousChannelGroup gustGroup = Providers.group(gust, 1, "gust");
        try {
            assertThrows(IllegalChannelGroupException.class, () -> gust.openAsynchronousSocketChannel(jdkGroup));
            assertThrows(IllegalChannelGroupException.class, () -> gust.openAsynchronousServerSocketChannel(jdkGroup));
            assertThrows(IllegalChannelGroupException.class, () -> jdk.openAsynchronousSocketChannel(gustGroup));
            assertSame(gust, gustGroup.provider());
        } finally {
            Providers.shutdown(jdkGroup);
            Providers.shutdown(gustGroup);
        }
    }

    static InetSocketAddress unused() {
        return loopback(0);
    }
}

package dev.gust.nio2;

import static dev.gust.nio2.Providers.loopback;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What Gust's provider does where the JDK leaves room (documented choices), and its fault handling. */
@Timeout(60)
class GustProviderTest {
    private final GustAsynchronousChannelProvider provider = new GustAsynchronousChannelProvider();
    private AsynchronousChannelGroup group;

    @BeforeEach
    void openGroup() throws IOException {
        group = Providers.group(provider, 1, "gust-only");
    }

    @AfterEach
    void shutdownGroup() throws Exception {
        Providers.shutdown(group);
    }

    @Test
    void aSecondConnectWhileTheFirstIsUnderWayIsConnectionPending() throws Exception {
        try (Providers.Peer server = new Providers.Peer(); AsynchronousSocketChannel ch = provider.openAsynchronousSocketChannel(group)) {
            // Keep the loop busy so the connect handed to it is surely still under way.
            CountDownLatch release = new CountDownLatch(1);
            ((GustChannelGroup) group).loopGroup().loop(0).defer(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Future<Void> first = ch.connect(server.address);
            assertThrows(ConnectionPendingException.class, () -> ch.connect(server.address));
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            server.accept().close();
        }
    }

    @Test
    void bindReturnsWhileClientsAreAlreadyConnecting() throws Exception {
        // A regression test: bind held the channel's lock while it waited for the loop, and the loop,
        // accepting an early client, waited for that lock (a deadlock under a load balancer's probes).
        for (int round = 0; round < 10; round++) {
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread prober = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                    } catch (java.io.IOException ignored) {
                        Thread.onSpinWait(); // not listening yet
                    }
                }
            });
            try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(group)) {
                java.util.concurrent.CompletableFuture<Void> bound = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        server.bind(new InetSocketAddress("127.0.0.1", port));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                bound.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                stop.set(true);
                prober.join();
            }
        }
    }

    @Test
    void bindingAClientToAFixedPortIsRefusedClearly() throws Exception {
        try (AsynchronousSocketChannel ch = provider.openAsynchronousSocketChannel(group)) {
            BindException e = assertThrows(BindException.class, () -> ch.bind(new InetSocketAddress(40_000)));
            assertTrue(e.getMessage().contains("port 0"), e.getMessage());
            ch.bind(new InetSocketAddress(0)); // still bindable after the refusal
        }
    }

    @Test
    void aHandlerThatThrowsClosesItsOwnChannelNotTheLoop() throws Exception {
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(group).bind(loopback(0))) {
            List<AsynchronousSocketChannel> accepted = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Future<AsynchronousSocketChannel> f = server.accept();
                SocketChannel.open(server.getLocalAddress());
                accepted.add(f.get(10, TimeUnit.SECONDS));
            }
            AsynchronousSocketChannel bad = accepted.get(0), good = accepted.get(1);
            CompletableFuture<Void> threw = new CompletableFuture<>();
            bad.write(ByteBuffer.wrap("x".getBytes()), null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void a) {
                    threw.complete(null);
                    throw new IllegalStateException("handler bug");
                }

                public void failed(Throwable exc, Void a) {}
            });
            threw.get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bad.isOpen() && System.nanoTime() < deadline) Thread.sleep(10);
            assertFalse(bad.isOpen(), "the throwing handler's channel is closed");
            assertTrue(good.isOpen());
            assertEquals(2, good.write(ByteBuffer.wrap("ok".getBytes())).get(10, TimeUnit.SECONDS), "the loop still runs");
            good.close();
        }
    }

    @Test
    void connectionsBeyondTheBacklogWaitingForAcceptAreResetNotQueuedWithoutBound() throws Exception {
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(group).bind(loopback(0), 2)) {
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < 6; i++) clients.add(SocketChannel.open(server.getLocalAddress()));
            int reset = 0;
            for (SocketChannel c : clients) {
                c.socket().setSoTimeout(2000);
                try {
                    // a reset connection reads -1 or fails; a queued one times out waiting for data
                    int n = c.socket().getInputStream().read();
                    if (n < 0) reset++;
                } catch (java.net.SocketTimeoutException queued) {
                    // still waiting for accept(): fine
                } catch (IOException e) {
                    reset++;
                }
            }
            assertEquals(4, reset, "backlog 2: the other 4 were reset");
            for (int i = 0; i < 2; i++) assertTrue(server.accept().get(10, TimeUnit.SECONDS).isOpen());
            for (SocketChannel c : clients) c.close();
        }
    }

    @Test
    void handlersRunOnTheLoopThreadAndReadsCompleteThereDirectly() throws Exception {
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(group).bind(loopback(0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            AsynchronousSocketChannel ch = server.accept().get(10, TimeUnit.SECONDS);
            CompletableFuture<String> thread = new CompletableFuture<>();
            ByteBuffer dst = ByteBuffer.allocate(3);
            ch.read(dst, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void a) {
                    thread.complete(Thread.currentThread().getName() + " " + n);
                }

                public void failed(Throwable exc, Void a) {
                    thread.completeExceptionally(exc);
                }
            });
            client.write(ByteBuffer.wrap("abcdef".getBytes()));
            assertEquals("gust-only-0 3", thread.get(10, TimeUnit.SECONDS));
            // what did not fit is kept for the next read, in order
            ByteBuffer rest = ByteBuffer.allocate(10);
            assertEquals(3, ch.read(rest).get(10, TimeUnit.SECONDS));
            assertEquals("def", new String(rest.array(), 0, 3));
            ch.close();
        }
    }
    @Test
    void closeWhileConnectingFailsTheConnectWithAsynchronousCloseException() throws Exception {
        try (Providers.Peer server = new Providers.Peer()) {
            AsynchronousSocketChannel ch = provider.openAsynchronousSocketChannel(group);
            CountDownLatch release = new CountDownLatch(1);
            ((GustChannelGroup) group).loopGroup().loop(0).defer(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Future<Void> connect = ch.connect(server.address);
            ch.close();
            release.countDown();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, e.getCause());
            assertFalse(ch.isOpen());
        }
    }
}

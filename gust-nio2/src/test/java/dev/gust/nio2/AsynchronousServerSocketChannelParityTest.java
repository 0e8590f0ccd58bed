package dev.gust.nio2;

import static dev.gust.nio2.Providers.loopback;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviours of the JDK's jtreg test {@code java/nio/channels/AsynchronousServerSocketChannel/Basic.java},
 * same code on the JDK provider and on Gust's.
 */
@Timeout(60)
class AsynchronousServerSocketChannelParityTest {
    private AsynchronousChannelGroup group;

    private AsynchronousServerSocketChannel open(AsynchronousChannelProvider p) throws IOException {
        if (group == null) group = Providers.group(p, 2, "server-parity");
        return p.openAsynchronousServerSocketChannel(group);
    }

    @AfterEach
    void shutdownGroup() throws Exception {
        if (group != null) Providers.shutdown(group);
    }

    private static Throwable causeOf(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void bindPicksAPortOnceAndRefusesBadAddresses(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel ch = open(p)) {
            assertNull(ch.getLocalAddress());
            assertThrows(UnresolvedAddressException.class, () -> ch.bind(InetSocketAddress.createUnresolved("no.such.host.invalid", 0)));
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.bind(new SocketAddress() {}));
            ch.bind(loopback(0), 50);
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            assertNotEquals(0, local.getPort());
            assertEquals(loopback(0).getAddress(), local.getAddress());
            assertThrows(AlreadyBoundException.class, () -> ch.bind(loopback(0)));
        }
        AsynchronousServerSocketChannel ch = open(p);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.bind(loopback(0)));
        assertThrows(ClosedChannelException.class, ch::getLocalAddress);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void bindingAPortInUseFailsWithBindException(String name, AsynchronousChannelProvider p) throws Exception {
        try (Providers.Peer taken = new Providers.Peer(); AsynchronousServerSocketChannel ch = open(p)) {
            assertThrows(BindException.class, () -> ch.bind(taken.address));
        }
    }

    /** A listener's SO_RCVBUF set before bind reaches the kernel, and accepted sockets inherit it, as with a JDK ServerSocketChannel. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void receiveBufferReachesTheListenerAndAcceptedSockets(String name, AsynchronousChannelProvider p) throws Exception {
        int huge = 1 << 30; // above the kernel's maximum: only a real socket reports the cap
        int expectedListener, expectedAccepted;
        try (java.nio.channels.ServerSocketChannel reference = java.nio.channels.ServerSocketChannel.open()) {
            reference.setOption(StandardSocketOptions.SO_RCVBUF, huge).bind(loopback(0));
            expectedListener = reference.getOption(StandardSocketOptions.SO_RCVBUF);
            try (SocketChannel client = SocketChannel.open(reference.getLocalAddress());
                    SocketChannel accepted = reference.accept()) {
                expectedAccepted = accepted.getOption(StandardSocketOptions.SO_RCVBUF);
            }
        }
        assertTrue(expectedListener < huge, "the kernel caps SO_RCVBUF");
        try (AsynchronousServerSocketChannel ch = open(p)) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, huge).bind(loopback(0));
            assertEquals(expectedListener, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            Future<AsynchronousSocketChannel> accepting = ch.accept();
            try (SocketChannel client = SocketChannel.open(ch.getLocalAddress());
                    AsynchronousSocketChannel accepted = accepting.get(10, TimeUnit.SECONDS)) {
                assertEquals(expectedAccepted, accepted.getOption(StandardSocketOptions.SO_RCVBUF));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void optionsRoundTripAndAreValidated(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel ch = open(p)) {
            assertTrue(ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(ch.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF));
            assertFalse(ch.setOption(StandardSocketOptions.SO_REUSEADDR, false).getOption(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(ch.setOption(StandardSocketOptions.SO_REUSEADDR, true).getOption(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024).getOption(StandardSocketOptions.SO_RCVBUF) > 0);
            assertThrows(UnsupportedOperationException.class, () -> ch.setOption(StandardSocketOptions.TCP_NODELAY, true));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_RCVBUF, -5));
            ch.bind(loopback(0));
        }
        AsynchronousServerSocketChannel ch = open(p);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.setOption(StandardSocketOptions.SO_REUSEADDR, true));
        assertThrows(ClosedChannelException.class, () -> ch.getOption(StandardSocketOptions.SO_REUSEADDR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void acceptRules(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel ch = open(p)) {
            assertThrows(NotYetBoundException.class, ch::accept);
            ch.bind(loopback(0));
            Future<AsynchronousSocketChannel> pending = ch.accept();
            assertThrows(AcceptPendingException.class, ch::accept);
            try (SocketChannel client = SocketChannel.open(ch.getLocalAddress());
                 AsynchronousSocketChannel accepted = pending.get(10, TimeUnit.SECONDS)) {
                assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());
                assertEquals(ch.getLocalAddress(), accepted.getLocalAddress());
                assertTrue(accepted.isOpen());
                assertSame(p, accepted.provider());
            }
            // accept is possible again once the previous completed
            Future<AsynchronousSocketChannel> second = ch.accept();
            ch.close();
            assertInstanceOf(AsynchronousCloseException.class, causeOf(second));
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.accept()));
            CompletableFuture<AsynchronousSocketChannel> viaHandler = new CompletableFuture<>();
            ch.accept(null, handlerInto(viaHandler));
            assertInstanceOf(ClosedChannelException.class, causeOf(viaHandler));
        }
    }

    private static CompletionHandler<AsynchronousSocketChannel, Void> handlerInto(CompletableFuture<AsynchronousSocketChannel> f) {
        return new CompletionHandler<>() {
            public void completed(AsynchronousSocketChannel result, Void a) {
                f.complete(result);
            }

            public void failed(Throwable exc, Void a) {
                f.completeExceptionally(exc);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void connectionsThatArriveBeforeAcceptAreNotLost(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel ch = open(p).bind(loopback(0), 10)) {
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SocketChannel c = SocketChannel.open(ch.getLocalAddress());
                c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                clients.add(c);
            }
            Thread.sleep(200); // let a provider that accepts eagerly take them all
            boolean[] seen = new boolean[5];
            for (int i = 0; i < 5; i++) {
                try (AsynchronousSocketChannel a = ch.accept().get(10, TimeUnit.SECONDS)) {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    assertEquals(1, a.read(b).get(10, TimeUnit.SECONDS));
                    seen[b.get(0)] = true;
                }
            }
            for (boolean s : seen) assertTrue(s);
            for (SocketChannel c : clients) c.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void acceptHandlerServesAnEchoLoop(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel server = open(p).bind(loopback(0))) {
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                public void completed(AsynchronousSocketChannel ch, Void a) {
                    server.accept(null, this);
                    Echo.serve(ch);
                }

                public void failed(Throwable exc, Void a) {}
            });
            for (int i = 0; i < 3; i++) {
                try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                    byte[] msg = ("hello " + i).getBytes();
                    c.write(ByteBuffer.wrap(msg));
                    ByteBuffer in = ByteBuffer.allocate(msg.length);
                    while (in.hasRemaining()) assertTrue(c.read(in) > 0);
                    assertArrayEquals(msg, in.array());
                    c.shutdownOutput();
                    assertEquals(-1, c.read(ByteBuffer.allocate(1)), "echo closes after our FIN");
                }
            }
        }
    }
}

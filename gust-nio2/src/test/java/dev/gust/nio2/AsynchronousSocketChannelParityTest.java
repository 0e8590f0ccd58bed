package dev.gust.nio2;

import static dev.gust.nio2.Providers.loopback;
import static org.junit.jupiter.api.Assertions.*;

import dev.gust.nio2.Providers.Peer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviours the JDK's own jtreg test {@code java/nio/channels/AsynchronousSocketChannel/Basic.java}
 * checks, rewritten as JUnit and run with the same code on the JDK provider and on Gust's: both
 * must give the same results.
 */
@Timeout(60)
class AsynchronousSocketChannelParityTest {
    private AsynchronousChannelGroup group;

    private AsynchronousSocketChannel open(AsynchronousChannelProvider p) throws IOException {
        if (group == null) group = Providers.group(p, 2, "parity");
        return p.openAsynchronousSocketChannel(group);
    }

    @AfterEach
    void shutdownGroup() throws Exception {
        if (group != null) Providers.shutdown(group);
    }

    private static <V> CompletionHandler<V, Void> into(CompletableFuture<V> f) {
        return new CompletionHandler<>() {
            public void completed(V result, Void a) {
                f.complete(result);
            }

            public void failed(Throwable exc, Void a) {
                f.completeExceptionally(exc);
            }
        };
    }

    private static Throwable causeOf(Future<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    // ------------------------------------------------------------------ bind, options, connect

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void bindToWildcardThenRebindFailsAndClosedBindFails(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousSocketChannel ch = open(p)) {
            assertNull(ch.getLocalAddress());
            ch.bind(new InetSocketAddress(0));
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            assertTrue(local.getAddress().isAnyLocalAddress());
            assertThrows(AlreadyBoundException.class, () -> ch.bind(new InetSocketAddress(0)));
        }
        AsynchronousSocketChannel ch = open(p);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.bind(new InetSocketAddress(0)));
    }

    /** Options reach the kernel: a connected channel reports what a JDK SocketChannel reports for the same values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void socketOptionsAreAppliedToTheKernelSocket(String name, AsynchronousChannelProvider p) throws Exception {
        int hugeSend = 1 << 30; // above the kernel's maximum: only a real socket reports the cap
        int expectedRcv, expectedSnd;
        try (Peer server = new Peer(); SocketChannel reference = SocketChannel.open(server.address)) {
            reference.setOption(StandardSocketOptions.SO_RCVBUF, 65536).setOption(StandardSocketOptions.SO_SNDBUF, hugeSend);
            expectedRcv = reference.getOption(StandardSocketOptions.SO_RCVBUF);
            expectedSnd = reference.getOption(StandardSocketOptions.SO_SNDBUF);
        }
        assertTrue(expectedSnd < hugeSend, "the kernel caps SO_SNDBUF");
        try (Peer server = new Peer(); AsynchronousSocketChannel ch = open(p)) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, hugeSend); // set before connecting: applied on connect
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            assertEquals(expectedSnd, ch.getOption(StandardSocketOptions.SO_SNDBUF));
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 65536); // set while connected: applied at once
            assertEquals(expectedRcv, ch.getOption(StandardSocketOptions.SO_RCVBUF));
            assertFalse(ch.setOption(StandardSocketOptions.TCP_NODELAY, false).getOption(StandardSocketOptions.TCP_NODELAY));
            assertTrue(ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true).getOption(StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void socketOptionsHaveJdkDefaultsRoundTripAndAreValidated(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousSocketChannel ch = open(p)) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 128 * 1024).setOption(StandardSocketOptions.SO_SNDBUF, 128 * 1024)
                    .setOption(StandardSocketOptions.SO_REUSEADDR, true);
            int before = ch.getOption(StandardSocketOptions.SO_SNDBUF);
            int after = ch.setOption(StandardSocketOptions.SO_SNDBUF, Integer.MAX_VALUE).getOption(StandardSocketOptions.SO_SNDBUF);
            assertTrue(after >= before, "SO_SNDBUF must not decrease");
            before = ch.getOption(StandardSocketOptions.SO_RCVBUF);
            after = ch.setOption(StandardSocketOptions.SO_RCVBUF, Integer.MAX_VALUE).getOption(StandardSocketOptions.SO_RCVBUF);
            assertTrue(after >= before, "SO_RCVBUF must not decrease");
            assertFalse(ch.getOption(StandardSocketOptions.SO_KEEPALIVE), "default SO_KEEPALIVE");
            assertFalse(ch.getOption(StandardSocketOptions.TCP_NODELAY), "default TCP_NODELAY");
            assertTrue(ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true).getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertTrue(ch.setOption(StandardSocketOptions.TCP_NODELAY, true).getOption(StandardSocketOptions.TCP_NODELAY));
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertTrue(ch.supportedOptions().containsAll(ChannelOptions.CLIENT));
            // bad input
            assertThrows(UnsupportedOperationException.class, () -> ch.setOption(StandardSocketOptions.SO_LINGER, 1));
            assertThrows(UnsupportedOperationException.class, () -> ch.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.SO_KEEPALIVE, null));
            assertThrows(NullPointerException.class, () -> ch.setOption(null, 1));
        }
        AsynchronousSocketChannel closed = open(p);
        closed.close();
        assertThrows(ClosedChannelException.class, () -> closed.getOption(StandardSocketOptions.SO_RCVBUF));
        assertThrows(ClosedChannelException.class, () -> closed.setOption(StandardSocketOptions.SO_RCVBUF, 1024));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void connectSetsAddressesAndSecondConnectIsRejected(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            try (AsynchronousSocketChannel ch = open(p)) {
                assertNull(ch.getRemoteAddress());
                ch.connect(server.address).get(10, TimeUnit.SECONDS);
                assertNotNull(ch.getLocalAddress());
                InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
                assertEquals(server.address.getPort(), remote.getPort());
                assertEquals(server.address.getAddress(), remote.getAddress());
                assertThrows(AlreadyConnectedException.class, () -> ch.connect(server.address));
                try (SocketChannel peer = server.accept()) {
                    assertEquals(ch.getLocalAddress(), peer.getRemoteAddress());
                }
            }
            // a closed channel fails the connect through the future and through the handler
            AsynchronousSocketChannel ch = open(p);
            ch.close();
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.connect(server.address)));
            CompletableFuture<Void> viaHandler = new CompletableFuture<>();
            ch.connect(server.address, null, into(viaHandler));
            assertInstanceOf(ClosedChannelException.class, causeOf(viaHandler));
            assertThrows(ClosedChannelException.class, ch::getRemoteAddress);
            assertThrows(ClosedChannelException.class, ch::getLocalAddress);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void refusedConnectFailsAndClosesTheChannel(String name, AsynchronousChannelProvider p) throws Exception {
        InetSocketAddress nobody;
        try (Peer server = new Peer()) {
            nobody = server.address;
        }
        try (AsynchronousSocketChannel ch = open(p)) {
            assertInstanceOf(IOException.class, causeOf(ch.connect(nobody)));
            assertFalse(ch.isOpen(), "a failed connect closes the channel");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void badAddressesAreRejectedAtOnce(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousSocketChannel ch = open(p)) {
            assertThrows(UnresolvedAddressException.class, () -> ch.connect(InetSocketAddress.createUnresolved("no.such.host.invalid", 80)));
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.connect(new SocketAddress() {}));
            assertThrows(UnsupportedAddressTypeException.class, () -> ch.bind(new SocketAddress() {}));
            assertThrows(NotYetConnectedException.class, () -> ch.read(ByteBuffer.allocate(10)));
            assertThrows(NotYetConnectedException.class, () -> ch.write(ByteBuffer.allocate(10)));
            assertThrows(NotYetConnectedException.class, ch::shutdownInput);
            assertThrows(NotYetConnectedException.class, ch::shutdownOutput);
            assertTrue(ch.isOpen());
        }
    }

    // ------------------------------------------------------------------ close and cancel while pending

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void closeWhileReadPendingFailsItWithAsynchronousCloseException(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer(1)) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            Future<Integer> result = ch.read(ByteBuffer.allocateDirect(100));
            assertThrows(ReadPendingException.class, () -> ch.read(ByteBuffer.allocateDirect(100)));
            SocketChannel peer = server.accept();
            ch.close();
            peer.close();
            assertInstanceOf(AsynchronousCloseException.class, causeOf(result));
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.read(ByteBuffer.allocate(1))));
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.write(ByteBuffer.allocate(1))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void closeWhileWritePendingFailsItWithAsynchronousCloseException(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel peer = server.accept();
            peer.setOption(StandardSocketOptions.SO_RCVBUF, 1);
            AtomicReference<Throwable> writeError = new AtomicReference<>();
            AtomicInteger completed = new AtomicInteger();
            ch.write(Providers.randomBuffer(), ch, new CompletionHandler<Integer, AsynchronousSocketChannel>() {
                public void completed(Integer n, AsynchronousSocketChannel c) {
                    completed.incrementAndGet();
                    c.write(Providers.randomBuffer(), c, this);
                }

                public void failed(Throwable exc, AsynchronousSocketChannel c) {
                    writeError.set(exc);
                }
            });
            awaitStall(completed);
            assertThrows(WritePendingException.class, () -> ch.write(Providers.randomBuffer()));
            ch.close();
            peer.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writeError.get() == null && System.nanoTime() < deadline) Thread.sleep(10);
            assertInstanceOf(AsynchronousCloseException.class, writeError.get());
        }
    }

    /** Waits until a counter of completed writes stops moving: the socket buffers are full. */
    static void awaitStall(AtomicInteger completed) throws InterruptedException {
        int previous = -1;
        while (completed.get() != previous) {
            previous = completed.get();
            Thread.sleep(500);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void cancelledReadIsDoneAndRefusesFurtherReadsButNotWrites(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            for (boolean mayInterrupt : new boolean[] {false, true}) {
                AsynchronousSocketChannel ch = open(p);
                ch.connect(server.address).get(10, TimeUnit.SECONDS);
                SocketChannel peer = server.accept();
                Future<Integer> res = ch.read(ByteBuffer.allocate(1));
                boolean cancelled = res.cancel(mayInterrupt);
                assertTrue(res.isDone());
                assertEquals(cancelled, res.isCancelled());
                assertThrows(CancellationException.class, res::get);
                assertThrows(CancellationException.class, () -> res.get(1, TimeUnit.SECONDS));
                if (!mayInterrupt) {
                    assertEquals(1, ch.write(ByteBuffer.wrap("a".getBytes())).get(10, TimeUnit.SECONDS));
                    assertThrows(IllegalStateException.class, () -> ch.read(ByteBuffer.allocate(1)));
                }
                ch.close();
                peer.close();
            }
        }
    }

    // ------------------------------------------------------------------ reading

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void readsEverythingTheProgramSentThenMinusOne(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            ByteBuffer full = ByteBuffer.allocate(1).put((byte) 0);
            assertEquals(0, ch.read(full).get(10, TimeUnit.SECONDS), "no room: 0 at once");
            ByteBuffer src = Providers.randomBuffer(100_000);
            try (SocketChannel sc = server.accept()) {
                while (src.hasRemaining()) sc.write(src);
            }
            ByteBuffer dst = ByteBuffer.allocateDirect(src.capacity() + 100);
            CountDownLatch done = new CountDownLatch(1);
            ch.read(dst, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void a) {
                    if (n > 0) ch.read(dst, null, this);
                    else done.countDown();
                }

                public void failed(Throwable exc, Void a) {}
            });
            assertTrue(done.await(20, TimeUnit.SECONDS));
            src.flip();
            dst.flip();
            assertEquals(src, dst, "contents");
            ch.close();
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.read(dst)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void readUntilFullWhileThePeerTrickles(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            ByteBuffer src = Providers.randomBuffer(20_000);
            ByteBuffer dst = ByteBuffer.allocateDirect(src.capacity());
            CountDownLatch full = new CountDownLatch(1);
            ch.read(dst, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void a) {
                    if (dst.hasRemaining()) ch.read(dst, null, this);
                    else full.countDown();
                }

                public void failed(Throwable exc, Void a) {}
            });
            while (src.hasRemaining()) {
                int size = Math.min(src.remaining(), 50 + Providers.RAND.nextInt(3000));
                ByteBuffer chunk = src.slice(src.position(), size);
                src.position(src.position() + size);
                Thread.sleep(5 + Providers.RAND.nextInt(30));
                while (chunk.hasRemaining()) sc.write(chunk);
            }
            assertTrue(full.await(20, TimeUnit.SECONDS));
            src.flip();
            dst.flip();
            assertEquals(src, dst);
            sc.close();
            ch.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void scatteringReadFillsBuffersInOrderWithOffsetAndLength(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            ByteBuffer[] dsts = {ByteBuffer.allocate(5), ByteBuffer.allocateDirect(3), ByteBuffer.allocate(4), ByteBuffer.allocate(5)};
            CompletableFuture<Long> first = new CompletableFuture<>();
            ch.read(dsts, 1, 2, 0L, TimeUnit.SECONDS, null, into(first));
            sc.write(ByteBuffer.wrap("abcdefghij".getBytes()));
            long n = first.get(10, TimeUnit.SECONDS);
            assertTrue(n > 0 && n <= 7, "read " + n);
            // what the first read had no room for comes with the next one
            long total = n;
            while (total < 10) {
                CompletableFuture<Long> next = new CompletableFuture<>();
                ch.read(dsts, 1, 3, 0L, TimeUnit.SECONDS, null, into(next));
                total += next.get(10, TimeUnit.SECONDS);
            }
            assertEquals(0, dsts[0].position(), "outside offset/length: untouched");
            StringBuilder got = new StringBuilder();
            for (int i = 1; i < 4; i++) got.append(new String(bytes(dsts[i])));
            assertEquals("abcdefghij", got.toString());
            assertThrows(IndexOutOfBoundsException.class, () -> ch.read(dsts, 3, 2, 0L, TimeUnit.SECONDS, null, into(new CompletableFuture<>())));
            sc.close();
            ch.close();
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void unreadBytesBackUpInTheKernelNotInMemory(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            sc.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long sent = 0;
            int zeroes = 0;
            while (zeroes < 20 && sent < 256L << 20) { // no read pending: the peer must end up blocked
                chunk.clear();
                int n = sc.write(chunk);
                sent += n;
                if (n == 0) {
                    zeroes++;
                    Thread.sleep(20);
                } else {
                    zeroes = 0;
                }
            }
            assertTrue(sent < 64L << 20, "the peer could send " + sent + " bytes nobody asked for");
            ByteBuffer dst = ByteBuffer.allocate(32 * 1024);
            long received = 0;
            while (received < sent) {
                dst.clear();
                received += ch.read(dst).get(10, TimeUnit.SECONDS);
            }
            assertEquals(sent, received);
            sc.close();
            ch.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void peerResetFailsAPendingReadWithIOException(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            Future<Integer> r = ch.read(ByteBuffer.allocate(10));
            sc.setOption(StandardSocketOptions.SO_LINGER, 0);
            sc.close(); // RST
            assertInstanceOf(IOException.class, causeOf(r));
            ch.close();
        }
    }

    // ------------------------------------------------------------------ writing

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void writesEverythingInOrder(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            ByteBuffer empty = ByteBuffer.allocate(1).put((byte) 0);
            assertEquals(0, ch.write(empty).get(10, TimeUnit.SECONDS));
            ByteBuffer src = Providers.randomBuffer(3 * 1024 * 1024);
            ch.write(src, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void a) {
                    if (src.hasRemaining()) ch.write(src, null, this);
                    else try {
                        ch.close();
                    } catch (IOException ignored) {
                    }
                }

                public void failed(Throwable exc, Void a) {}
            });
            ByteBuffer dst = ByteBuffer.allocateDirect(src.capacity() + 100);
            while (sc.read(dst) > 0) {
                // to EOF
            }
            sc.close();
            src.flip();
            dst.flip();
            assertEquals(src, dst);
            assertInstanceOf(ClosedChannelException.class, causeOf(ch.write(dst)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void gatheringWriteSendsBuffersInOrderAndStallsWhenThePeerDoesNotRead(String name, AsynchronousChannelProvider p)
            throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel sc = server.accept();
            ByteBuffer[] srcs = {ByteBuffer.wrap("skip".getBytes()), ByteBuffer.wrap("hello ".getBytes()),
                    ByteBuffer.allocateDirect(6).put("world!".getBytes()).flip(), ByteBuffer.wrap("skip".getBytes())};
            CompletableFuture<Long> first = new CompletableFuture<>();
            ch.write(srcs, 1, 2, 0L, TimeUnit.SECONDS, null, into(first));
            assertEquals(12L, first.get(10, TimeUnit.SECONDS));
            ByteBuffer got = ByteBuffer.allocate(12);
            while (got.hasRemaining()) sc.read(got);
            assertEquals("hello world!", new String(got.array()));
            assertEquals(0, srcs[0].position());
            assertEquals(0, srcs[3].position());

            AtomicLong written = new AtomicLong();
            AtomicInteger completed = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean more = new java.util.concurrent.atomic.AtomicBoolean(true);
            ByteBuffer[] batch = {Providers.randomBuffer(), Providers.randomBuffer(), Providers.randomBuffer()};
            ch.write(batch, 0, batch.length, 0L, TimeUnit.SECONDS, null, new CompletionHandler<Long, Void>() {
                public void completed(Long n, Void a) {
                    assertTrue(n > 0);
                    written.addAndGet(n);
                    completed.incrementAndGet();
                    if (more.get()) {
                        ByteBuffer[] next = {Providers.randomBuffer(), Providers.randomBuffer()};
                        ch.write(next, 0, next.length, 0L, TimeUnit.SECONDS, null, this);
                    }
                }

                public void failed(Throwable exc, Void a) {}
            });
            awaitStall(completed);
            more.set(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
            long total = 0;
            while (total < written.get()) {
                buf.clear();
                int n = sc.read(buf);
                assertTrue(n > 0);
                total += n;
            }
            // every byte of every completed write arrived (a last write may still complete as we drain)
            assertTrue(total >= written.get(), "read " + total + " of " + written.get());
            ch.close();
            sc.close();
        }
    }

    // ------------------------------------------------------------------ shutdown and timeouts

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void shutdownInputReadsMinusOneAndShutdownOutputRefusesWrites(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer(); AsynchronousSocketChannel ch = open(p)) {
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            try (SocketChannel peer = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1000);
                ch.shutdownInput();
                assertEquals(-1, ch.read(buf).get(10, TimeUnit.SECONDS));
                buf.put(new byte[100]);
                assertEquals(-1, ch.read(buf).get(10, TimeUnit.SECONDS));
                ch.shutdownOutput();
                assertInstanceOf(ClosedChannelException.class, causeOf(ch.write(buf)));
                assertEquals(-1, peer.read(ByteBuffer.allocate(10)), "the peer sees our FIN");
                assertTrue(ch.isOpen(), "shutting down both sides does not close the channel");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void peerShutdownIsMinusOneAndWeCanStillWrite(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer(); AsynchronousSocketChannel ch = open(p)) {
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            try (SocketChannel peer = server.accept()) {
                peer.write(ByteBuffer.wrap("bye".getBytes()));
                peer.shutdownOutput();
                ByteBuffer buf = ByteBuffer.allocate(10);
                int total = 0, n;
                while ((n = ch.read(buf).get(10, TimeUnit.SECONDS)) > 0) total += n;
                assertEquals(-1, n);
                assertEquals(3, total);
                assertEquals(5, ch.write(ByteBuffer.wrap("after".getBytes())).get(10, TimeUnit.SECONDS));
                ByteBuffer got = ByteBuffer.allocate(5);
                while (got.hasRemaining()) peer.read(got);
                assertEquals("after", new String(got.array()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void readTimeoutFailsWithInterruptedByTimeoutAndThenReadsAreRefused(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel peer = server.accept();
            CompletableFuture<Integer> r = new CompletableFuture<>();
            ch.read(ByteBuffer.allocate(512), 300, TimeUnit.MILLISECONDS, null, into(r));
            assertInstanceOf(InterruptedByTimeoutException.class, causeOf(r));
            assertThrows(IllegalStateException.class, () -> ch.read(ByteBuffer.allocate(10)));
            // writing is still allowed after a read timeout
            assertEquals(2, ch.write(ByteBuffer.wrap("ok".getBytes())).get(10, TimeUnit.SECONDS));
            peer.close();
            ch.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void zeroOrNegativeTimeoutMeansNone(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel peer = server.accept();
            CompletableFuture<Integer> r = new CompletableFuture<>();
            ch.read(ByteBuffer.allocate(512), -1, TimeUnit.SECONDS, null, into(r));
            Thread.sleep(300);
            assertFalse(r.isDone());
            peer.write(ByteBuffer.wrap("x".getBytes()));
            assertEquals(1, r.get(10, TimeUnit.SECONDS));
            CompletableFuture<Integer> r2 = new CompletableFuture<>();
            ch.read(ByteBuffer.allocate(512), 0, TimeUnit.SECONDS, null, into(r2));
            Thread.sleep(300);
            assertFalse(r2.isDone());
            peer.close();
            assertEquals(-1, r2.get(10, TimeUnit.SECONDS));
            ch.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void writeTimeoutFailsWithInterruptedByTimeoutAndThenWritesAreRefused(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer()) {
            AsynchronousSocketChannel ch = open(p);
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            SocketChannel peer = server.accept(); // never reads
            AtomicReference<Throwable> error = new AtomicReference<>();
            ch.write(Providers.randomBuffer(), 1, TimeUnit.SECONDS, ch, new CompletionHandler<Integer, AsynchronousSocketChannel>() {
                public void completed(Integer n, AsynchronousSocketChannel c) {
                    c.write(Providers.randomBuffer(), 1, TimeUnit.SECONDS, c, this);
                }

                public void failed(Throwable exc, AsynchronousSocketChannel c) {
                    error.set(exc);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (error.get() == null && System.nanoTime() < deadline) Thread.sleep(20);
            assertInstanceOf(InterruptedByTimeoutException.class, error.get());
            assertThrows(IllegalStateException.class, () -> ch.write(Providers.randomBuffer()));
            peer.close();
            ch.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void badBuffersAndNullsAreRejected(String name, AsynchronousChannelProvider p) throws Exception {
        try (Peer server = new Peer(); AsynchronousSocketChannel ch = open(p)) {
            ch.connect(server.address).get(10, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertThrows(NullPointerException.class, () -> ch.read(ByteBuffer.allocate(4), null, null));
            assertThrows(NullPointerException.class, () -> ch.write(null, null, into(new CompletableFuture<>())));
            assertThrows(IndexOutOfBoundsException.class, () -> ch.write(new ByteBuffer[1], 1, 1, 0, TimeUnit.SECONDS, null, into(new CompletableFuture<>())));
            server.accept().close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gust.nio2.Providers#both")
    void loopbackEchoRoundTripsWithTheProvidersOwnServer(String name, AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousSocketChannel client = open(p);
             var server = p.openAsynchronousServerSocketChannel(group).bind(loopback(0))) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel s = accepted.get(10, TimeUnit.SECONDS)) {
                Echo.serve(s);
                byte[] msg = new byte[200_000];
                Providers.RAND.nextBytes(msg);
                ByteBuffer out = ByteBuffer.wrap(msg);
                while (out.hasRemaining()) client.write(out).get(10, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(msg.length);
                while (in.hasRemaining()) assertTrue(client.read(in).get(10, TimeUnit.SECONDS) > 0);
                assertArrayEquals(msg, in.array());
            }
        }
    }
}

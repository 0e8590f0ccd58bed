package dev.gust.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Blocking TCP streams on virtual threads, over real sockets on 127.0.0.1 (run on nio, epoll and io_uring). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpStreamTest {
    private ExecutorService vts;
    private TcpListener listener;

    @BeforeEach
    void setUp() throws IOException {
        vts = Executors.newVirtualThreadPerTaskExecutor();
        listener = TcpListener.bind("127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() {
        listener.close();
        vts.shutdownNow();
    }

    /** An echo server: every accepted stream on its own virtual thread, read/writeAll until EOF. */
    private void serveEcho() {
        vts.submit(() -> {
            while (true) {
                TcpStream s = listener.accept();
                vts.submit(() -> echo(s));
            }
        });
    }

    private static Void echo(TcpStream s) throws IOException {
        try (s) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = s.read(buf)) > 0) s.writeAll(buf, 0, n);
        }
        return null;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readExactly(TcpStream s, int size) throws IOException {
        byte[] got = new byte[size];
        int off = 0;
        while (off < size) {
            int n = s.read(got, off, size - off);
            if (n < 0) throw new IOException("EOF after " + off + " of " + size);
            off += n;
        }
        return got;
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 10 * 1024, 100 * 1024, 1024 * 1024})
    void echoesPayloadsOfEverySize(int size) throws Exception {
        serveEcho();
        byte[] payload = random(size, size);
        Future<byte[]> result = vts.submit(() -> {
            try (TcpStream c = TcpStream.connect("127.0.0.1", listener.port())) {
                // Write from one virtual thread and read from another: a 1 MiB echo does not fit in the buffers.
                Future<?> w = vts.submit(() -> {
                    c.writeAll(payload);
                    return null;
                });
                byte[] got = readExactly(c, size);
                w.get();
                return got;
            }
        });
        assertArrayEquals(payload, result.get());
    }

    @Test
    void manyConcurrentConnectionsOnVirtualThreads() throws Exception {
        serveEcho();
        int connections = 200;
        List<Future<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int id = i;
            all.add(vts.submit(() -> {
                try (TcpStream c = TcpStream.connect("127.0.0.1", listener.port())) {
                    for (int round = 0; round < 20; round++) {
                        byte[] msg = random(1000 + id, id * 31L + round);
                        c.writeAll(msg);
                        if (!java.util.Arrays.equals(msg, readExactly(c, msg.length))) return false;
                    }
                    return true;
                }
            }));
        }
        for (Future<Boolean> f : all) assertTrue(f.get());
    }

    @Test
    void interoperatesWithJdkSocketAsClient() throws Exception {
        serveEcho();
        try (Socket jdk = new Socket("127.0.0.1", listener.port())) {
            byte[] msg = random(50_000, 7);
            Future<?> w = vts.submit(() -> {
                jdk.getOutputStream().write(msg);
                return null;
            });
            assertArrayEquals(msg, jdk.getInputStream().readNBytes(msg.length));
            w.get();
        }
    }

    @Test
    void interoperatesWithJdkServerSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            vts.submit(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                }
                return null;
            });
            Future<byte[]> got = vts.submit(() -> {
                try (TcpStream c = TcpStream.connect("127.0.0.1", server.getLocalPort())) {
                    c.writeAll("hello jdk".getBytes());
                    c.shutdownOutput();
                    return c.inputStream().readAllBytes();
                }
            });
            assertEquals("hello jdk", new String(got.get()));
        }
    }

    @Test
    void inputAndOutputStreamViewsHaveStandardSemantics() throws Exception {
        serveEcho();
        Future<?> f = vts.submit(() -> {
            try (TcpStream c = TcpStream.connect("127.0.0.1", listener.port())) {
                OutputStream out = c.outputStream();
                InputStream in = c.inputStream();
                out.write('A');
                out.write("BCD".getBytes(), 1, 2);
                out.flush();
                assertEquals('A', in.read());
                assertArrayEquals("CD".getBytes(), in.readNBytes(2));
                c.shutdownOutput();
                assertEquals(-1, in.read()); // the echo server closes after our FIN
                assertEquals(-1, in.read(new byte[4], 0, 4));
                in.close();
                assertTrue(c.isClosed());
                assertThrows(IOException.class, () -> out.write(1));
                assertThrows(IOException.class, in::read);
            }
            return null;
        });
        f.get();
    }

    @Test
    void halfCloseLetsThePeerSeeEofAndStillAnswer() throws Exception {
        Future<String> server = vts.submit(() -> {
            try (TcpStream s = listener.accept()) {
                byte[] all = s.inputStream().readAllBytes(); // until the client's FIN
                s.writeAll(("got " + all.length).getBytes());
                return new String(all);
            }
        });
        try (TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get()) {
            Future<String> reply = vts.submit(() -> {
                c.writeAll("question".getBytes());
                c.shutdownOutput();
                assertThrows(SocketException.class, () -> c.writeAll(new byte[1]));
                return new String(c.inputStream().readAllBytes());
            });
            assertEquals("question", server.get());
            assertEquals("got 8", reply.get());
        }
    }

    @Test
    void acceptTimesOut() {
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> vts.submit(() -> listener.accept(Duration.ofMillis(100))).get());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
    }

    @Test
    void readTimesOutAndTheStreamStaysUsable() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        Future<?> f = vts.submit(() -> {
            try (TcpStream c = TcpStream.connect("127.0.0.1", listener.port())) {
                c.readTimeout(Duration.ofMillis(100));
                assertThrows(SocketTimeoutException.class, () -> c.read(new byte[10]));
                assertThrows(SocketTimeoutException.class, () -> c.inputStream().read());
                accepted.get().writeAll("late".getBytes());
                assertArrayEquals("late".getBytes(), readExactly(c, 4));
            }
            return null;
        });
        f.get();
        accepted.get().close();
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> vts.submit(() -> TcpStream.connect("127.0.0.1", port)).get());
        assertInstanceOf(ConnectException.class, e.getCause());
    }

    @Test
    void connectTimesOutWhenThePeerNeverAnswers() throws Exception {
        // A listener with a full accept queue drops SYNs: the connect hangs until our timeout.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                        fillers.add(s);
                    } catch (SocketTimeoutException queueFull) {
                        s.close();
                        break;
                    }
                }
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> vts.submit(
                        () -> TcpStream.connect("127.0.0.1", full.getLocalPort(), Duration.ofMillis(300))).get());
                assertInstanceOf(SocketTimeoutException.class, e.getCause());
            } finally {
                for (Socket s : fillers) s.close();
            }
        }
    }

    @Test
    void readAfterCloseFailsWithStreamClosed() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        c.close();
        c.close(); // idempotent
        var e = assertThrows(SocketException.class, () -> c.read(new byte[1]));
        assertTrue(e.getMessage().contains("stream closed"), e.getMessage());
        assertThrows(SocketException.class, () -> c.writeAll(new byte[1]));
        assertEquals(-1, accepted.get().read(new byte[1]), "the peer sees our FIN");
        accepted.get().close();
    }

    @Test
    void closeWakesAThreadBlockedInRead() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        Future<Integer> reader = vts.submit(() -> c.read(new byte[10]));
        Thread.sleep(100); // let it park (the outcome is the same if it has not yet)
        c.close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> reader.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        accepted.get().close();
    }

    @Test
    void peerResetIsASocketException() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Future<?> resetter = vts.submit(() -> {
                Socket s = server.accept();
                s.getInputStream().read(); // wait for the client's byte
                s.setSoLinger(true, 0);
                s.close(); // RST
                return null;
            });
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> vts.submit(() -> {
                try (TcpStream c = TcpStream.connect("127.0.0.1", server.getLocalPort())) {
                    c.writeAll(new byte[] {1});
                    return c.read(new byte[10]);
                }
            }).get());
            assertInstanceOf(SocketException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("reset"), e.getCause().getMessage());
            resetter.get();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(3)
    void aWriterToAPeerThatDoesNotReadBlocksThenResumes() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        long total = 64L << 20;
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        Future<?> writer = vts.submit(() -> {
            byte[] chunk = new byte[64 * 1024];
            while (written.get() < total) {
                c.writeAll(chunk);
                written.addAndGet(chunk.length);
            }
            return null;
        });
        long last = awaitStall(written);
        assertTrue(last < total, "the writer must block, not buffer everything: wrote " + last);
        assertFalse(writer.isDone());
        // Now the peer reads: the writer resumes and everything arrives.
        TcpStream s = accepted.get();
        byte[] buf = new byte[256 * 1024];
        long got = 0;
        s.readTimeout(Duration.ofSeconds(15));
        try {
            while (got < total) got += s.read(buf);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("stalled after " + got + " of " + total + ", writer done=" + writer.isDone()
                    + "\nclient " + c.state() + "\nserver " + s.state(), e);
        }
        writer.get();
        assertEquals(total, got);
        c.close();
        s.close();
    }

    @Test
    void bytesSurviveRingWrapsAndBackpressureInOrder() throws Exception {
        // Odd-sized writes wrap the send ring at every offset while a stalled peer backlogs the socket.
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        int total = 24 << 20;
        byte[] pattern = random(total, 99);
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        Future<?> writer = vts.submit(() -> {
            int off = 0;
            while (off < total) {
                int n = Math.min(7777, total - off);
                c.writeAll(pattern, off, n);
                off += n;
            }
            c.shutdownOutput();
            return null;
        });
        TcpStream s = accepted.get();
        Thread.sleep(300); // let the writer hit backpressure first
        s.readTimeout(Duration.ofSeconds(20));
        byte[] got = s.inputStream().readAllBytes();
        writer.get();
        assertEquals(total, got.length);
        assertArrayEquals(pattern, got);
        c.close();
        s.close();
    }

    /** A JDK peer writing {@code total} bytes in 64 KiB chunks on a virtual thread, counting them in {@code written}. */
    private Future<?> flood(Socket jdk, long total, java.util.concurrent.atomic.AtomicLong written) {
        return vts.submit(() -> {
            OutputStream out = jdk.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            while (written.get() < total) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            return null;
        });
    }

    @Test
    void aReaderThatDoesNotReadStopsTheLoopReading() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        try (Socket jdk = new Socket("127.0.0.1", listener.port())) {
            TcpStream s = accepted.get();
            long total = 64L << 20;
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Future<?> writer = flood(jdk, total, written);
            long last = awaitStall(written);
            assertTrue(last < total, "the stream must stop reading, not buffer everything: peer wrote " + last);
            assertTrue(s.available() <= 64 * 1024 + IoRuntime.LOOP_READ_BUFFER, "buffered " + s.available());
            byte[] buf = new byte[256 * 1024];
            long got = 0;
            while (got < total) got += s.read(buf);
            writer.get();
            assertEquals(total, got);
            s.close();
        }
    }

    /** Byte {@code i} of the stream that {@link #patternChunk} produces. */
    private static byte patternAt(long i) {
        return (byte) (i % 251);
    }

    private static byte[] patternChunk(long from, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = patternAt(from + i);
        return b;
    }

    @Test
    void aWriteToAPeerThatDoesNotReadTimesOutAndTheStreamStaysUsable() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        TcpStream s = accepted.get();
        c.writeTimeout(Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(300), c.writeTimeout());
        // The peer does not read: sooner or later (send ring + kernel buffers) a writeAll times out.
        long sent = 0;
        int chunk = 1 << 20;
        SocketTimeoutException timedOut = null;
        long start = System.nanoTime();
        while (timedOut == null) {
            assertTrue(sent < (256L << 20), "never timed out after " + sent + " bytes");
            byte[] b = patternChunk(sent, chunk);
            try {
                c.writeAll(b);
                sent += chunk;
            } catch (SocketTimeoutException e) {
                timedOut = e;
                assertTrue(e.bytesTransferred >= 0 && e.bytesTransferred < chunk, "bytesTransferred " + e.bytesTransferred);
                sent += e.bytesTransferred; // the buffered prefix goes out; the rest did not
            }
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
        // write(): nothing fits, so it times out having taken nothing.
        var e = assertThrows(SocketTimeoutException.class, () -> c.write(new byte[100], 0, 100));
        assertEquals(0, e.bytesTransferred);

        // The stream is still usable: the peer reads, we write the rest, every byte arrives once, in order.
        long total = sent + (3L << 20);
        Future<Long> reader = vts.submit(() -> {
            byte[] buf = new byte[256 * 1024];
            long got = 0;
            int n;
            while ((n = s.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != patternAt(got + i)) throw new AssertionError("byte " + (got + i) + " differs");
                }
                got += n;
            }
            return got;
        });
        c.writeTimeout(Duration.ofSeconds(20));
        while (sent < total) {
            int n = (int) Math.min(chunk, total - sent);
            c.writeAll(patternChunk(sent, n));
            sent += n;
        }
        c.shutdownOutput();
        assertEquals(total, reader.get(30, TimeUnit.SECONDS));
        c.close();
        s.close();
    }

    @Test
    void closeDoesNotBlockAndResetsAPeerThatDoesNotReadAfterTheLinger() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", server.getLocalPort())).get();
            try (Socket peer = server.accept()) {
                c.writeTimeout(Duration.ofMillis(300));
                assertEquals(Duration.ofSeconds(30), c.closeLinger(), "default");
                c.closeLinger(Duration.ofMillis(500));
                byte[] chunk = new byte[1 << 20];
                long sent = 0;
                try {
                    while (true) {
                        assertTrue(sent < (256L << 20), "never blocked");
                        c.writeAll(chunk);
                        sent += chunk.length;
                    }
                } catch (SocketTimeoutException full) {
                    // the peer's kernel buffers, ours and the send ring are full
                }
                long start = System.nanoTime();
                c.close();
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200), "close() must not wait");
                Thread.sleep(2000); // past the linger, the loop gave up on the peer
                // Reading now, the peer finds the connection reset, not a clean end after every byte.
                peer.setSoTimeout(10_000);
                InputStream in = peer.getInputStream();
                byte[] buf = new byte[256 * 1024];
                var e = assertThrows(SocketException.class, () -> {
                    long n = 0;
                    int r;
                    while ((r = in.read(buf)) >= 0) n += r;
                    throw new AssertionError("clean end of stream after " + n + " bytes");
                });
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            }
        }
    }

    @Test
    void shutdownInputEndsReadsAndDiscardsWhatThePeerStillSends() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        try (Socket jdk = new Socket("127.0.0.1", listener.port())) {
            TcpStream s = accepted.get();
            long total = 64L << 20;
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Future<?> writer = flood(jdk, total, written);
            // Nobody reads: the stream fills its receive buffer and the loop stops reading the socket.
            long stalled = awaitStall(written);
            assertTrue(stalled < total, "the peer must be blocked before shutdownInput: wrote " + stalled);
            assertTrue(s.available() > 0);

            s.shutdownInput();
            assertEquals(0, s.available(), "buffered bytes are dropped");
            assertEquals(-1, s.read(new byte[10]));
            assertEquals(-1, s.inputStream().read());
            // The peer is not blocked any more: everything it sends is taken and discarded.
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(-1, s.read(ByteBuffer.allocate(10)));
            assertEquals(0, s.available());
            s.shutdownInput(); // idempotent

            // The other direction still works.
            s.writeAll("still here".getBytes());
            byte[] got = jdk.getInputStream().readNBytes(10);
            assertArrayEquals("still here".getBytes(), got);
            s.close();
            assertThrows(SocketException.class, s::shutdownInput);
        }
    }

    @Test
    void shutdownInputWakesABlockedReaderWithEndOfStream() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        Future<Integer> reader = vts.submit(() -> c.read(new byte[10]));
        Thread.sleep(100); // let it park (the outcome is the same if it has not yet)
        c.shutdownInput();
        assertEquals(-1, reader.get(10, TimeUnit.SECONDS));
        TcpStream s = accepted.get();
        s.writeAll("ignored".getBytes());
        c.writeAll("answer".getBytes());
        assertArrayEquals("answer".getBytes(), readExactly(s, 6));
        assertEquals(-1, c.read(new byte[10]), "bytes that arrive after shutdownInput are discarded");
        c.close();
        s.close();
    }

    /** Waits until {@code counter} has not moved for 500 ms; returns its value. */
    private static long awaitStall(java.util.concurrent.atomic.AtomicLong counter) throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(500);
            long now = counter.get();
            if (now == last) return now;
            last = now;
        }
    }

    @Test
    void readsIntoByteBuffersAndWritesFromThem() throws Exception {
        serveEcho();
        Future<?> f = vts.submit(() -> {
            try (TcpStream c = TcpStream.connect("127.0.0.1", listener.port())) {
                ByteBuffer src = ByteBuffer.allocateDirect(3000);
                for (int i = 0; i < 3000; i++) src.put((byte) i);
                src.flip();
                c.writeAll(src);
                assertEquals(0, src.remaining());
                ByteBuffer dst = ByteBuffer.allocate(3000);
                while (dst.hasRemaining()) {
                    if (c.read(dst, Duration.ofSeconds(10)) < 0) break;
                }
                dst.flip();
                for (int i = 0; i < 3000; i++) assertEquals((byte) i, dst.get(i));
                assertEquals(new InetSocketAddress("127.0.0.1", listener.port()), c.remoteAddress());
                assertEquals(InetAddress.getByName("127.0.0.1"), c.localAddress().getAddress());
                assertTrue(c.isClient());
            }
            return null;
        });
        f.get();
    }

    @Test
    void closingTheListenerFailsWaitingAccepts() throws Exception {
        Future<TcpStream> waiting = vts.submit(() -> listener.accept());
        Thread.sleep(100);
        listener.close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
    }

    @Test
    void blockingCallsOnALoopThreadAreRefused() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        try (TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get()) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> c.loop().submit(() -> c.read(new byte[1])).get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> c.loop().submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        } finally {
            accepted.get().close();
        }
    }

    @Test
    void interruptingABlockedReaderClosesTheStream() throws Exception {
        Future<TcpStream> accepted = vts.submit(() -> listener.accept());
        TcpStream c = vts.submit(() -> TcpStream.connect("127.0.0.1", listener.port())).get();
        java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                c.read(new byte[10]);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Thread.sleep(100);
        reader.interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, outcome.get(10, TimeUnit.SECONDS));
        assertTrue(c.isClosed());
        assertEquals(-1, accepted.get().read(new byte[1]), "the peer sees the close");
        accepted.get().close();
    }

    @Test
    void bindingAPortInUseIsABindException() throws Exception {
        var oneLoop = IoRuntime.startGroup(1);
        try {
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> vts.submit(() -> TcpListener.bind(
                    "127.0.0.1", listener.port(), StreamOptions.defaults().withGroup(oneLoop))).get());
            assertInstanceOf(java.net.BindException.class, e.getCause());
        } finally {
            oneLoop.close();
        }
    }
}

package dev.gust.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocking UDP on virtual threads, over real sockets on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpSocketTest {
    private final ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void sendsAndReceivesBetweenTwoSockets() throws Exception {
        Future<?> f = vts.submit(() -> {
            try (UdpSocket a = UdpSocket.bind("127.0.0.1", 0); UdpSocket b = UdpSocket.bind("127.0.0.1", 0)) {
                a.send("ping".getBytes(StandardCharsets.UTF_8), b.localAddress());
                ByteBuffer buf = ByteBuffer.allocate(100);
                InetSocketAddress from = b.receive(buf, Duration.ofSeconds(5));
                assertEquals(a.localAddress(), from);
                assertEquals("ping", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                b.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)), from);
                buf.clear();
                assertEquals(b.localAddress(), a.receive(buf, Duration.ofSeconds(5)));
                assertEquals(4, buf.position());
            }
            return null;
        });
        f.get();
    }

    @Test
    void interoperatesWithDatagramSocketAndTruncatesLongDatagrams() throws Exception {
        Future<?> f = vts.submit(() -> {
            try (UdpSocket gust = UdpSocket.bind("127.0.0.1", 0);
                 DatagramSocket jdk = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                byte[] ten = "0123456789".getBytes(StandardCharsets.UTF_8);
                jdk.send(new DatagramPacket(ten, ten.length, gust.localAddress()));
                ByteBuffer small = ByteBuffer.allocate(4);
                gust.receive(small, Duration.ofSeconds(5));
                assertEquals("0123", new String(small.array(), StandardCharsets.UTF_8));
                gust.send(ten, new InetSocketAddress(InetAddress.getLoopbackAddress(), jdk.getLocalPort()));
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                jdk.setSoTimeout(5000);
                jdk.receive(p);
                assertEquals("0123456789", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            return null;
        });
        f.get();
    }

    @Test
    void receiveTimesOut() throws Exception {
        Future<?> f = vts.submit(() -> {
            try (UdpSocket u = UdpSocket.bind("127.0.0.1", 0)) {
                assertThrows(SocketTimeoutException.class, () -> u.receive(ByteBuffer.allocate(10), Duration.ofMillis(100)));
            }
            return null;
        });
        f.get();
    }

    @Test
    void closeWakesABlockedReceiverAndLaterCallsFail() throws Exception {
        UdpSocket u = vts.submit(() -> UdpSocket.bind("127.0.0.1", 0)).get();
        Future<InetSocketAddress> waiting = vts.submit(() -> u.receive(ByteBuffer.allocate(10)));
        Thread.sleep(100);
        u.close();
        var e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        assertThrows(SocketException.class, () -> u.send(new byte[1], new InetSocketAddress("127.0.0.1", 9)));
    }

    @Test
    void aReceiverThatDoesNotReceiveDropsPastItsBacklog() throws Exception {
        Future<?> f = vts.submit(() -> {
            try (UdpSocket rx = UdpSocket.bind("127.0.0.1", 0, StreamOptions.defaults().withBacklog(10));
                 DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < 50; i++) tx.send(new DatagramPacket(new byte[] {(byte) i}, 1, rx.localAddress()));
                while (rx.dropped() < 40) Thread.sleep(10); // the loop has seen all 50: 10 kept, 40 dropped
                ByteBuffer buf = ByteBuffer.allocate(8);
                for (int i = 0; i < 10; i++) {
                    buf.clear();
                    rx.receive(buf, Duration.ofSeconds(5));
                    assertEquals(i, buf.get(0), "the first ten are kept, in order");
                }
                assertThrows(SocketTimeoutException.class, () -> rx.receive(ByteBuffer.allocate(8), Duration.ofMillis(100)));
                assertEquals(40, rx.dropped());
            }
            return null;
        });
        f.get();
    }

    @Test
    void aSenderBlastingDatagramsParksAtTheBoundAndEverySendCompletes() throws Exception {
        int bound = 16 * 1024, size = 1000, count = 20_000;
        Future<?> f = vts.submit(() -> {
            try (UdpSocket rx = UdpSocket.bind("127.0.0.1", 0, StreamOptions.defaults().withBacklog(count));
                 UdpSocket tx = UdpSocket.bind("127.0.0.1", 0, StreamOptions.defaults().withSendBuffer(bound))) {
                Future<Integer> receiver = vts.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(2000);
                    int got = 0;
                    try {
                        while (true) {
                            buf.clear();
                            rx.receive(buf, Duration.ofSeconds(2));
                            assertEquals(size, buf.position());
                            got++;
                        }
                    } catch (SocketTimeoutException quiet) {
                        return got; // the sender is done (UDP may have dropped some on the way)
                    }
                });
                byte[] payload = new byte[size];
                for (int i = 0; i < count; i++) tx.send(payload, rx.localAddress());
                // Memory stayed bounded: never more than the bound waited for the loop...
                assertTrue(tx.sendStats().peakInFlightBytes() <= bound, "peak in flight " + tx.sendStats().peakInFlightBytes());
                // ...because the sender, faster than the loop, parked instead of queueing.
                assertTrue(tx.sendStats().parkedSends() > 0, "the sender never reached the bound");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (tx.sendStats().inFlightBytes() > 0) {
                    assertTrue(System.nanoTime() < deadline, "the loop never drained: " + tx.sendStats().inFlightBytes());
                    Thread.sleep(10);
                }
                int got = receiver.get();
                assertTrue(got > count / 10, "received only " + got + " of " + count);
            }
            return null;
        });
        f.get();
    }

    @Test
    void aDatagramTheKernelRefusesIsReportedByTheNextSend() throws Exception {
        Future<?> f = vts.submit(() -> {
            try (UdpSocket rx = UdpSocket.bind("127.0.0.1", 0); UdpSocket tx = UdpSocket.bind("127.0.0.1", 0)) {
                tx.send(new byte[70_000], rx.localAddress()); // over UDP's 65,507-byte limit: EMSGSIZE in the loop
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (tx.sendStats().inFlightBytes() > 0) {
                    assertTrue(System.nanoTime() < deadline, "the loop never sent it");
                    Thread.sleep(10);
                }
                var e = assertThrows(SocketException.class, () -> tx.send("next".getBytes(), rx.localAddress()));
                assertTrue(e.getMessage().contains("70000 bytes"), e.getMessage());
                // Reported once; the socket goes on.
                tx.send("after".getBytes(), rx.localAddress());
                ByteBuffer buf = ByteBuffer.allocate(100);
                rx.receive(buf, Duration.ofSeconds(5));
                assertEquals("after", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            }
            return null;
        });
        f.get();
    }

    @Test
    void closeFailsASenderParkedAtTheBound() throws Exception {
        UdpSocket rx = vts.submit(() -> UdpSocket.bind("127.0.0.1", 0)).get();
        UdpSocket tx = vts.submit(() -> UdpSocket.bind("127.0.0.1", 0, StreamOptions.defaults().withSendBuffer(1024))).get();
        // Keep the loop busy so that the sender surely reaches the bound, then close under it.
        Future<?> sender = vts.submit(() -> {
            while (true) tx.send(new byte[1000], rx.localAddress());
        });
        Thread.sleep(200);
        tx.close();
        var e = assertThrows(ExecutionException.class, () -> sender.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        rx.close();
    }
}

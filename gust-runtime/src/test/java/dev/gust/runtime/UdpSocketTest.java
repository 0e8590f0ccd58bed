package dev.gust.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}

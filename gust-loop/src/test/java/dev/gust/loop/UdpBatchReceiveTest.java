package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Datagrams that wait together are received together (native transports: one recvmmsg for up to 16,
 * each into its own 64 KiB slice of the loop's buffer): every one arrives whole, in order, with its
 * sender, whatever its size up to the largest UDP payload, and a handler that closes its socket
 * mid-batch gets no more.
 */
@Timeout(30)
class UdpBatchReceiveTest {
    private static byte[] datagram(int seq, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(seq);
        for (int i = 4; i < size; i++) b[i] = (byte) (seq * 7 + i);
        return b;
    }

    @Test
    void burstsOfMixedSizesArriveWholeInOrderWithTheirSender() throws Exception {
        // Bursts that wait together while the loop is busy: 16 small datagrams (one recvmmsg's worth),
        // then three large ones up to the largest UDP payload (kept within the default receive buffer).
        int[] small = {4, 100, 576, 1_200, 1_472}, large = {65_507, 32_768, 9_000};
        LinkedBlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
        try (Loop loop = Loop.create().start();
             DatagramChannel sender = DatagramChannel.open()) {
            UdpSocket udp = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0,
                    UdpOptions.defaults().withReceiveBatch(64),
                    (u, payload, from) -> {
                        int start = payload.position(); // 0, as for a lone datagram: handlers may index from 0
                        byte[] b = new byte[payload.remaining()];
                        payload.get(b);
                        got.add(new Object[] {b, from, start});
                    }));
            InetSocketAddress to = OnLoop.call(loop, udp::localAddress);
            sender.bind(new InetSocketAddress("127.0.0.1", 0));
            List<byte[]> sent = new ArrayList<>();
            List<Object[]> received = new ArrayList<>();
            int seq = 0;
            for (int burst = 0; burst < 30; burst++) {
                CountDownLatch paused = new CountDownLatch(1);
                loop.defer(() -> {
                    paused.countDown();
                    sleep(50); // the loop is busy: the burst waits in the kernel
                });
                paused.await();
                int n = burst % 2 == 0 ? 16 : large.length;
                for (int i = 0; i < n; i++, seq++) {
                    byte[] d = datagram(seq, burst % 2 == 0 ? small[i % small.length] : large[i]);
                    sent.add(d);
                    sender.send(ByteBuffer.wrap(d), to);
                }
                while (received.size() < sent.size()) {
                    Object[] d = got.poll(10, TimeUnit.SECONDS);
                    assertNotNull(d, "datagram " + received.size() + " never arrived");
                    received.add(d);
                }
            }
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), (byte[]) received.get(i)[0], "datagram " + i);
                assertEquals(sender.getLocalAddress(), received.get(i)[1], "sender of datagram " + i);
                assertEquals(0, received.get(i)[2], "datagram " + i + " starts at position 0");
            }
            assertNull(got.poll(100, TimeUnit.MILLISECONDS), "no extra datagram");
        }
    }

    @Test
    void aHandlerThatClosesItsSocketMidBatchGetsNoMore() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        try (Loop loop = Loop.create().start();
             DatagramChannel sender = DatagramChannel.open()) {
            UdpSocket udp = OnLoop.call(loop, () -> UdpSocket.bind(loop, "127.0.0.1", 0, (u, payload, from) -> {
                if (delivered.incrementAndGet() == 3) u.close();
            }));
            InetSocketAddress to = OnLoop.call(loop, udp::localAddress);
            loop.defer(() -> sleep(100)); // all ten wait together
            for (int i = 0; i < 10; i++) sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), to);
            Thread.sleep(400);
            assertEquals(3, OnLoop.call(loop, delivered::get));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

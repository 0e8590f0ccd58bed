package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream of corked records to a slow reader: when the kernel takes only part of a gathering write
 * (cork buffer + data), every byte it left must be kept in order. A regression test: the rest of
 * the gather after a partly written cork buffer used to be dropped.
 */
@Timeout(60)
class PartialGatherWriteTest {
    private static final int RECORDS = 6_000, BODY = 3_000;

    @Test
    void everyRecordArrivesInOrderThroughBackpressure() throws Exception {
        // No write budget: the handler writes until the kernel itself is full, so partial gathers happen.
        try (Loop loop = Loop.create(LoopOptions.defaults().withWriteBudget(Integer.MAX_VALUE)).start()) {
            ListenSocket listener = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<int[]>() {
                final ByteBuffer body = ByteBuffer.allocate(BODY);

                @Override
                public void onOpen(Socket<int[]> s, boolean isClient, InetSocketAddress remote) {
                    s.state(new int[1]);
                    onWritable(s);
                }

                @Override
                public void onWritable(Socket<int[]> s) {
                    int[] next = s.state();
                    while (next[0] < RECORDS) {
                        int n = next[0]++;
                        ByteBuffer header = ByteBuffer.allocate(8).putInt(n).putInt(BODY).flip();
                        s.write(header, true); // corked
                        for (int i = 0; i < BODY; i++) body.put(i, (byte) (n + i));
                        if (!s.write(body.clear(), false)) return; // backpressure: continue on the next drain
                    }
                    s.shutdown();
                }
            }).listen("127.0.0.1", 0));

            try (java.net.Socket client = new java.net.Socket()) {
                client.setReceiveBufferSize(8 * 1024); // a small window: the kernel often takes part of a write
                client.connect(new InetSocketAddress("127.0.0.1", listener.port()));
                client.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(client.getInputStream());
                byte[] got = new byte[BODY];
                for (int n = 0; n < RECORDS; n++) {
                    if (n % 100 == 0) Thread.sleep(20); // a slow reader, so the server meets backpressure
                    assertEquals(n, in.readInt(), "record number");
                    assertEquals(BODY, in.readInt(), "record " + n + " length");
                    in.readFully(got);
                    for (int i = 0; i < BODY; i++) {
                        if (got[i] != (byte) (n + i)) fail("record " + n + " corrupt at byte " + i);
                    }
                }
                assertEquals(-1, in.read(), "the stream ends after the last record");
            }
        }
    }
}

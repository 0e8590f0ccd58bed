package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes written just before a close or a shutdown reach the peer before its end of stream, on every
 * transport — also where the kernel sends them only after the call returned (io_uring's sends by
 * completion: the fd stays open until they are out, and the FIN waits for them).
 */
@Timeout(30)
class WriteThenCloseTest {
    private static final int SIZE = 12_000; // fits the kernel's buffer and one io_uring send chunk

    private static byte[] pattern() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    private static ListenSocket serve(Loop loop, boolean shutdownOnly, CompletableFuture<String> heard) throws Exception {
        return OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
            @Override
            public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                s.write(ByteBuffer.wrap(pattern()), false);
                if (shutdownOnly) s.shutdown(); // FIN after the bytes; still reading
                else s.close();
            }

            @Override
            public void onData(Socket<Void> s, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                heard.complete(new String(b));
                s.close();
            }
        }).listen("127.0.0.1", 0));
    }

    @Test
    void bytesWrittenRightBeforeCloseArriveBeforeTheEnd() throws Exception {
        try (Loop loop = Loop.create().start()) {
            ListenSocket l = serve(loop, false, new CompletableFuture<>());
            for (int round = 0; round < 20; round++) {
                try (java.net.Socket c = new java.net.Socket("127.0.0.1", l.port())) {
                    c.setSoTimeout(10_000);
                    if (round % 2 == 1) Thread.sleep(50); // a reader that comes late
                    InputStream in = c.getInputStream();
                    assertArrayEquals(pattern(), in.readNBytes(SIZE), "round " + round);
                    assertEquals(-1, in.read(), "end of stream after the bytes, round " + round);
                }
            }
        }
    }

    @Test
    void bytesWrittenRightBeforeShutdownArriveBeforeTheEndAndTheSocketStillReads() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            ListenSocket l = serve(loop, true, heard);
            try (java.net.Socket c = new java.net.Socket("127.0.0.1", l.port())) {
                c.setSoTimeout(10_000);
                Thread.sleep(50);
                InputStream in = c.getInputStream();
                assertArrayEquals(pattern(), in.readNBytes(SIZE));
                assertEquals(-1, in.read(), "end of stream after the bytes");
                c.getOutputStream().write("bye".getBytes()); // the server's read side is still open
                assertEquals("bye", heard.get(10, TimeUnit.SECONDS));
            }
        }
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fan-out shape: bytes read from one socket are written, as "more" writes, to another socket whose
 * reader is slower than the writer. Every byte arrives, in order, on every transport — through the
 * outbox, the cork, the kernel's and (io_uring) the send chunks' backpressure.
 */
@Timeout(60)
class RelayOrderTest {
    private static final int RECORDS = 200_000;

    @Test
    void relayedRecordsArriveInOrderAtASlowReader() throws Exception {
        try (Loop loop = Loop.create().start()) {
            AtomicReference<Socket<Void>> sink = new AtomicReference<>();
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            ListenSocket listener = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                    if (!sink.compareAndSet(null, s)) s.state(null);
                    both.countDown();
                }

                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    Socket<Void> to = sink.get();
                    if (to != s) to.write(data, true); // another socket holds the cork: the outbox path
                }
            }).listen("127.0.0.1", 0));

            try (java.net.Socket reader = new java.net.Socket("127.0.0.1", listener.port())) {
                while (sink.get() == null) Thread.sleep(1);
                try (java.net.Socket writer = new java.net.Socket("127.0.0.1", listener.port())) {
                    both.await();
                    Thread w = Thread.ofPlatform().start(() -> {
                        try {
                            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(writer.getOutputStream(), 8192));
                            for (int i = 0; i < RECORDS; i++) out.writeInt(i);
                            out.flush();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    reader.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(reader.getInputStream(), 512));
                    for (int i = 0; i < RECORDS; i++) {
                        if (i % 20_000 == 0) Thread.sleep(50); // slower than the writer: the server meets backpressure
                        assertEquals(i, in.readInt(), "record " + i);
                    }
                    w.join();
                }
            }
        }
    }
}

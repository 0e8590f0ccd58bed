package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopGroupTest {

    @Test
    void listenSpreadsConnectionsOverEveryLoopOnOnePort() throws Exception {
        Map<String, AtomicInteger> opensPerThread = new ConcurrentHashMap<>();
        try (LoopGroup group = LoopGroup.create(3)) {
            List<ListenSocket> listeners = group.listen("127.0.0.1", 0, loop -> SocketContext.create(loop, null,
                    new SocketHandler<Void>() {
                        @Override
                        public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                            opensPerThread.computeIfAbsent(Thread.currentThread().getName(),
                                    k -> new AtomicInteger()).incrementAndGet();
                        }

                        @Override
                        public void onData(Socket<Void> s, ByteBuffer data) {
                            s.write(data);
                        }
                    }));
            group.start();
            assertEquals(3, listeners.size());
            int port = listeners.getFirst().port();
            for (ListenSocket l : listeners) assertEquals(port, l.port(), "every loop listens on the same port");

            List<java.net.Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    java.net.Socket c = new java.net.Socket("127.0.0.1", port);
                    clients.add(c);
                    OutputStream out = c.getOutputStream();
                    out.write(("ping" + i).getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    byte[] back = in.readNBytes(("ping" + i).length());
                    assertEquals("ping" + i, new String(back, StandardCharsets.US_ASCII));
                }
            } finally {
                for (java.net.Socket c : clients) c.close();
            }
            // 60 connections hashed over 3 listeners: all on one loop has probability 3^-59.
            assertEquals(60, opensPerThread.values().stream().mapToInt(AtomicInteger::get).sum());
            assertTrue(opensPerThread.size() >= 2, "connections spread over loops: " + opensPerThread);
            for (String thread : opensPerThread.keySet()) assertTrue(thread.startsWith("gust-loop-"), thread);
        }
    }

    @Test
    void nextRoundRobinsAndOnEachRunsOnEveryLoopThread() throws Exception {
        try (LoopGroup group = LoopGroup.create(2).start()) {
            assertNotSame(group.next(), group.next());
            Map<String, Boolean> seen = new ConcurrentHashMap<>();
            group.onEach(loop -> {
                assertTrue(loop.isOnLoopThread());
                assertSame(loop, group.current());
                seen.put(Thread.currentThread().getName(), true);
            }).get();
            assertEquals(2, seen.size());
            assertNull(group.current(), "the test thread is not a loop thread");
        }
    }

    @Test
    void rejectsAnEmptyGroup() {
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.create(0));
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket options reach the kernel on every transport (this class runs on nio, epoll and io_uring):
 * the values read back equal what a JDK SocketChannel on this machine reports for the same set values.
 */
@Timeout(60)
class KernelSocketOptionTest {

    /** Option/value pairs set in this order, then read back in this order. */
    private static final List<Object[]> SETTINGS = List.of(
            new Object[] {StandardSocketOptions.SO_SNDBUF, 32768},
            new Object[] {StandardSocketOptions.SO_RCVBUF, 65536},
            new Object[] {StandardSocketOptions.SO_KEEPALIVE, true},
            new Object[] {StandardSocketOptions.TCP_NODELAY, false},
            new Object[] {StandardSocketOptions.SO_REUSEADDR, true});

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> apply(Socket<?> s) throws Exception {
        for (Object[] o : SETTINGS) s.setOption((SocketOption) o[0], o[1]);
        List<Object> read = new ArrayList<>();
        for (Object[] o : SETTINGS) read.add(s.getOption((SocketOption<?>) o[0]));
        return read;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> jdkReference(InetSocketAddress to) throws Exception {
        try (SocketChannel ch = SocketChannel.open(to)) {
            for (Object[] o : SETTINGS) ch.setOption((SocketOption) o[0], o[1]);
            List<Object> read = new ArrayList<>();
            for (Object[] o : SETTINGS) read.add(ch.getOption((SocketOption<?>) o[0]));
            return read;
        }
    }

    @Test
    void acceptedAndConnectingSocketsReportWhatAJdkSocketReports() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<List<Object>> accepted = new CompletableFuture<>();
            CompletableFuture<List<Object>> connecting = new CompletableFuture<>();
            CompletableFuture<List<Object>> connected = new CompletableFuture<>();
            int port = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean client, InetSocketAddress remote) {
                    if (accepted.isDone()) return; // the JDK reference connects here too
                    try {
                        accepted.complete(apply(s));
                    } catch (Throwable t) {
                        accepted.completeExceptionally(t);
                    }
                }
            }).listen("127.0.0.1", 0).port());
            OnLoop.run(loop, () -> {
                Socket<Void> client = SocketContext.create(loop, null, new SocketHandler<Void>() {
                    @Override
                    public void onOpen(Socket<Void> s, boolean client, InetSocketAddress remote) {
                        try {
                            connected.complete(apply(s));
                        } catch (Throwable t) {
                            connected.completeExceptionally(t);
                        }
                    }
                }).connect("127.0.0.1", port);
                try {
                    connecting.complete(apply(client)); // before the connect has finished
                } catch (Throwable t) {
                    connecting.completeExceptionally(t);
                }
            });
            List<Object> serverSide = accepted.get(10, TimeUnit.SECONDS);
            List<Object> reference = jdkReference(new InetSocketAddress("127.0.0.1", port));
            assertEquals(reference, serverSide, "accepted socket");
            assertEquals(reference, connecting.get(10, TimeUnit.SECONDS), "connecting socket");
            assertEquals(reference, connected.get(10, TimeUnit.SECONDS), "connected socket");
            assertEquals(true, reference.get(2)); // the comparison is not vacuous
        }
    }

    @Test
    void unsupportedOptionBadValueClosedSocketAndWrongThread() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<Socket<Void>> opened = new CompletableFuture<>();
            int port = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean client, InetSocketAddress remote) {
                    opened.complete(s);
                }
            }).listen("127.0.0.1", 0).port());
            try (SocketChannel peer = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                Socket<Void> s = opened.get(10, TimeUnit.SECONDS);
                var unsupported = assertThrows(UnsupportedOperationException.class,
                        () -> unwrapped(loop, () -> s.getOption(StandardSocketOptions.IP_MULTICAST_TTL)));
                assertEquals("'IP_MULTICAST_TTL' not supported", unsupported.getMessage());
                assertThrows(UnsupportedOperationException.class,
                        () -> unwrapped(loop, () -> { s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); return null; }));
                assertThrows(IllegalArgumentException.class,
                        () -> unwrapped(loop, () -> { s.setOption(StandardSocketOptions.SO_SNDBUF, -1); return null; }));
                assertThrows(IllegalArgumentException.class,
                        () -> unwrapped(loop, () -> { s.setOption(StandardSocketOptions.SO_RCVBUF, -5); return null; }));
                assertThrows(IllegalArgumentException.class,
                        () -> unwrapped(loop, () -> { s.setOption(StandardSocketOptions.SO_KEEPALIVE, null); return null; }));
                // The socket still works with its old values after the refusals.
                assertEquals(true, OnLoop.call(loop, () -> s.getOption(StandardSocketOptions.TCP_NODELAY)));
                // Off the loop thread: refused like every loop-only call.
                assertThrows(WrongThreadException.class, () -> s.getOption(StandardSocketOptions.SO_RCVBUF));
                OnLoop.run(loop, s::close);
                assertThrows(ClosedChannelException.class,
                        () -> unwrapped(loop, () -> s.getOption(StandardSocketOptions.SO_RCVBUF)));
                assertThrows(ClosedChannelException.class,
                        () -> unwrapped(loop, () -> { s.setOption(StandardSocketOptions.SO_RCVBUF, 4096); return null; }));
            }
        }
    }

    @Test
    void listenerReceiveBufferIsRealAndOnlyListenerOptionsAreAccepted() throws Exception {
        try (Loop loop = Loop.create().start();
                var reference = java.nio.channels.ServerSocketChannel.open()) {
            reference.setOption(StandardSocketOptions.SO_RCVBUF, 131072);
            int expected = reference.getOption(StandardSocketOptions.SO_RCVBUF);
            ListenSocket listener = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {})
                    .listen("127.0.0.1", 0));
            assertEquals(expected, (int) OnLoop.call(loop, () -> {
                listener.setOption(StandardSocketOptions.SO_RCVBUF, 131072);
                return listener.getOption(StandardSocketOptions.SO_RCVBUF);
            }));
            assertThrows(UnsupportedOperationException.class,
                    () -> unwrapped(loop, () -> listener.getOption(StandardSocketOptions.TCP_NODELAY)));
            assertThrows(IllegalArgumentException.class,
                    () -> unwrapped(loop, () -> { listener.setOption(StandardSocketOptions.SO_RCVBUF, -1); return null; }));
            OnLoop.run(loop, listener::close);
            assertThrows(ClosedChannelException.class,
                    () -> unwrapped(loop, () -> listener.getOption(StandardSocketOptions.SO_RCVBUF)));
        }
    }

    /** Runs on the loop thread and rethrows what it threw there (OnLoop wraps it in an ExecutionException). */
    private static <T> T unwrapped(Loop loop, java.util.concurrent.Callable<T> c) throws Throwable {
        try {
            return OnLoop.call(loop, c);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}

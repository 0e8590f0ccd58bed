package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Details every transport must report exactly like NIO: IPv6 addresses, error types and messages. */
@Timeout(30)
class TransportParityTest {

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void tcpEchoOverIpv6() throws Exception {
        // Required, not assumed: every machine this project runs on has ::1, and a skip would hide a broken v6 path.
        assertTrue(ipv6Loopback(), "this test needs the IPv6 loopback address ::1");
        try (Loop loop = Loop.create().start()) {
            ListenSocket listener = OnLoop.call(loop,
                    () -> SocketContext.create(loop, null, new TcpSocketTest.Echo()).listen("::1", 0));
            assertInstanceOf(Inet6Address.class, listener.localAddress().getAddress());
            CompletableFuture<String> echoed = new CompletableFuture<>();
            CompletableFuture<InetSocketAddress> remote = new CompletableFuture<>();
            OnLoop.run(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress r) {
                    remote.complete(r);
                    s.write("hello v6".getBytes(StandardCharsets.US_ASCII));
                }

                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    echoed.complete(StandardCharsets.US_ASCII.decode(data).toString());
                    s.close();
                }
            }).connect("::1", listener.port()));
            assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), listener.port()), remote.get(5, TimeUnit.SECONDS));
            assertEquals("hello v6", echoed.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void udpOverIpv6() throws Exception {
        // Required, not assumed: every machine this project runs on has ::1, and a skip would hide a broken v6 path.
        assertTrue(ipv6Loopback(), "this test needs the IPv6 loopback address ::1");
        try (Loop loop = Loop.create().start()) {
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            UdpSocket a = OnLoop.call(loop, () -> UdpSocket.bind(loop, "::1", 0,
                    (u, p, from) -> got.add(StandardCharsets.US_ASCII.decode(p) + "@" + from)));
            UdpSocket b = OnLoop.call(loop, () -> UdpSocket.bind(loop, "::1", 0, (u, p, f) -> { }));
            OnLoop.run(loop, () -> b.send(ByteBuffer.wrap("v6 datagram".getBytes(StandardCharsets.US_ASCII)), a.localAddress()));
            assertEquals("v6 datagram@" + b.localAddress(), got.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectionRefusedHasNiosTypeAndMessage() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<IOException> error = new CompletableFuture<>();
            OnLoop.run(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onConnectError(Socket<Void> s, IOException e) {
                    error.complete(e);
                }
            }).connect("127.0.0.1", freePort));
            IOException e = error.get(5, TimeUnit.SECONDS);
            assertEquals(ConnectException.class, e.getClass());
            assertEquals("Connection refused", e.getMessage());
        }
    }

    @Test
    void listeningTwiceOnAnExclusivePortFailsWithBindException() throws Exception {
        try (Loop loop = Loop.create().start()) {
            var ctx = OnLoop.call(loop, () -> SocketContext.create(loop, null, new TcpSocketTest.Echo()));
            int port = OnLoop.call(loop, () -> ctx.listen("127.0.0.1", 0).port());
            Exception e = OnLoop.call(loop, () -> {
                try {
                    ctx.listen("127.0.0.1", port, ListenOptions.defaults().withExclusive(true));
                    return null;
                } catch (RuntimeException x) {
                    return x;
                }
            });
            assertNotNull(e, "a second listener on the same port");
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            assertInstanceOf(java.net.BindException.class, cause, e.toString());
        }
    }
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TlsSocketTest {
    private static final byte[] HELLO = "hello tls".getBytes(StandardCharsets.US_ASCII);

    /** Echoes and remembers how it closed. */
    static final class Echo implements SocketHandler<Void> {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicInteger opened = new AtomicInteger();
        volatile String protocol;

        @Override
        public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
            opened.incrementAndGet();
            protocol = s.applicationProtocol();
        }

        @Override
        public void onData(Socket<Void> s, ByteBuffer data) {
            s.write(data);
        }

        @Override
        public void onClose(Socket<Void> s, int code) {
            closed.complete(code);
        }
    }

    /** A client that collects what it receives until {@code expected} bytes, then closes. */
    static class Collector implements SocketHandler<ByteArrayOutputStream> {
        final int expected;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final CompletableFuture<Socket<ByteArrayOutputStream>> opened = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<IOException> connectError = new CompletableFuture<>();

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void onOpen(Socket<ByteArrayOutputStream> s, boolean isClient, InetSocketAddress remote) {
            if (s.state() == null) s.state(new ByteArrayOutputStream());
            opened.complete(s);
        }

        @Override
        public void onData(Socket<ByteArrayOutputStream> s, ByteBuffer data) {
            if (s.state() == null) s.state(new ByteArrayOutputStream());
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            s.state().writeBytes(chunk);
            if (s.state().size() >= expected) {
                received.complete(s.state().toByteArray());
                s.close();
            }
        }

        @Override
        public void onClose(Socket<ByteArrayOutputStream> s, int code) {
            closed.complete(code);
        }

        @Override
        public void onConnectError(Socket<ByteArrayOutputStream> s, IOException error) {
            connectError.complete(error);
        }
    }

    private static int listenTls(Loop loop, SocketHandler<Void> handler, TlsOptions tls) throws Exception {
        return OnLoop.call(loop, () -> SocketContext.create(loop, null, handler, SocketOptions.defaults().withTls(tls))
                .listen("127.0.0.1", 0).port());
    }

    private static <S> Socket<S> connectTls(Loop loop, SocketHandler<S> handler, TlsOptions tls, int port,
                                            ConnectOptions options) throws Exception {
        return OnLoop.call(loop, () -> SocketContext.create(loop, null, handler, SocketOptions.defaults().withTls(tls))
                .connect("127.0.0.1", port, null, options));
    }

    private static TlsOptions serverTls() {
        return TlsOptions.server(TestCertificates.localhost().serverContext());
    }

    private static TlsOptions clientTls() {
        return TlsOptions.client(TestCertificates.clientContext());
    }

    private static SSLSocket jdkClient(int port, String... protocols) throws IOException {
        SSLSocket c = (SSLSocket) TestCertificates.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        c.setSoTimeout(10_000);
        if (protocols.length > 0) c.setEnabledProtocols(protocols);
        return c;
    }

    private static String commonName(Principal p) {
        return p.getName().replaceFirst("^CN=([^,]*).*$", "$1");
    }

    // ------------------------------------------------------------------ echo

    @Test
    void echoOneMebibyteAndManySmallWritesBetweenGustServerAndClient() throws Exception {
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + (i >>> 11));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("early:".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(big);
        for (int i = 0; i < 2000; i++) expected.writeBytes(("m" + i + ";").getBytes(StandardCharsets.US_ASCII));
        byte[] want = expected.toByteArray();
        CompletableFuture<Long> bufferedBeforeOpen = new CompletableFuture<>();

        try (Loop loop = Loop.create().start()) {
            Echo echo = new Echo();
            int port = listenTls(loop, echo, serverTls());
            Collector client = new Collector(want.length) {
                @Override
                public void onOpen(Socket<ByteArrayOutputStream> s, boolean isClient, InetSocketAddress remote) {
                    super.onOpen(s, isClient, remote);
                    s.write(ByteBuffer.wrap(big));
                    for (int i = 0; i < 2000; i++) s.write(("m" + i + ";").getBytes(StandardCharsets.US_ASCII));
                }
            };
            OnLoop.run(loop, () -> {
                var ctx = SocketContext.create(loop, null, client, SocketOptions.defaults().withTls(clientTls()));
                Socket<ByteArrayOutputStream> s = ctx.connect("127.0.0.1", port);
                // Written before the handshake: held and sent first.
                assertTrue(s.write("early:".getBytes(StandardCharsets.US_ASCII)));
                bufferedBeforeOpen.complete(s.bufferedAmount());
                assertTrue(s.isTls());
            });
            assertEquals(6, bufferedBeforeOpen.get());
            assertArrayEquals(want, client.received.get(20, TimeUnit.SECONDS));
            assertEquals(CloseCode.CLEAN, client.closed.get(5, TimeUnit.SECONDS));
            assertEquals(CloseCode.CLEAN, echo.closed.get(5, TimeUnit.SECONDS));
            assertEquals(1, echo.opened.get());
        }
    }

    @Test
    void gustServerWithJdkSslSocketClientOnTls12AndTls13() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Echo echo = new Echo();
            int port = listenTls(loop, echo, serverTls());
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                try (SSLSocket c = jdkClient(port, protocol)) {
                    c.getOutputStream().write(HELLO);
                    assertArrayEquals(HELLO, c.getInputStream().readNBytes(HELLO.length));
                    assertEquals(protocol, c.getSession().getProtocol());
                    assertEquals("localhost", commonName(c.getSession().getPeerPrincipal()));
                }
            }
            assertEquals(2, echo.opened.get());
        }
    }

    @Test
    void gustClientWithJdkSslServerSocket() throws Exception {
        SSLContext serverContext = TestCertificates.localhost().serverContext();
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0);
             Loop loop = Loop.create().start()) {
            CompletableFuture<String> serverGot = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    String request = new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
                    s.getOutputStream().write("pong!".getBytes(StandardCharsets.US_ASCII));
                    return request; // close sends close_notify
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<String> sessionProtocol = new CompletableFuture<>();
            Collector client = new Collector(Integer.MAX_VALUE) {
                @Override
                public void onOpen(Socket<ByteArrayOutputStream> s, boolean isClient, InetSocketAddress remote) {
                    super.onOpen(s, isClient, remote);
                    sessionProtocol.complete(s.tlsSession().getProtocol());
                    s.write("ping!".getBytes(StandardCharsets.US_ASCII));
                }

                @Override
                public void onEnd(Socket<ByteArrayOutputStream> s) {
                    received.complete(s.state().toByteArray()); // the server's close_notify
                    s.shutdown();
                }
            };
            connectTls(loop, client, clientTls(), server.getLocalPort(), ConnectOptions.defaults());
            assertEquals("ping!", serverGot.get(10, TimeUnit.SECONDS));
            assertEquals("pong!", new String(client.received.get(10, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
            assertEquals(CloseCode.CLEAN, client.closed.get(5, TimeUnit.SECONDS));
            assertEquals("TLSv1.3", sessionProtocol.get());
        }
    }

    /** Forwards client-to-server bytes in random tiny pieces, so records (and the ClientHello) split across reads. */
    private static Thread trickleProxy(ServerSocket front, int backendPort) {
        return Thread.ofVirtual().start(() -> {
            try (java.net.Socket client = front.accept(); java.net.Socket server = new java.net.Socket("127.0.0.1", backendPort)) {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread back = Thread.ofVirtual().start(() -> {
                    try {
                        server.getInputStream().transferTo(client.getOutputStream());
                        client.shutdownOutput();
                    } catch (IOException ignored) {
                        // the test failed or ended
                    }
                });
                java.util.Random random = new java.util.Random(42);
                InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream();
                byte[] buf = new byte[64];
                int n, pieces = 0;
                while ((n = in.read(buf, 0, 1 + random.nextInt(buf.length))) > 0) {
                    for (int off = 0; off < n; ) {
                        int len = Math.min(n - off, 1 + random.nextInt(7));
                        out.write(buf, off, len);
                        out.flush();
                        off += len;
                        if (++pieces % 16 == 0) Thread.sleep(1); // let the loop read in between
                    }
                }
                server.shutdownOutput();
                back.join();
            } catch (IOException | InterruptedException ignored) {
                // the test failed or ended
            }
        });
    }

    @Test
    void recordsSplitIntoTinyPiecesAcrossReads() throws Exception {
        SSLContext otherContext = TestCertificates.other().serverContext();
        try (Loop loop = Loop.create().start(); ServerSocket front = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Echo echo = new Echo();
            // With an SNI selector, so the ClientHello peek also sees it arrive in pieces.
            int port = listenTls(loop, echo, serverTls().withSni(name -> name.equals("other.test") ? otherContext : null));
            Thread proxy = trickleProxy(front, port);
            byte[] message = new byte[20_000];
            for (int i = 0; i < message.length; i++) message[i] = (byte) (i % 251);
            SSLContext client = TestCertificates.clientContext();
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", front.getLocalPort())) {
                c.setSoTimeout(10_000);
                javax.net.ssl.SSLParameters p = c.getSSLParameters();
                p.setServerNames(List.of(new javax.net.ssl.SNIHostName("other.test")));
                c.setSSLParameters(p);
                for (int i = 0; i < 4; i++) c.getOutputStream().write(message, i * 5000, 5000); // 4 records
                assertArrayEquals(message, c.getInputStream().readNBytes(message.length));
                assertEquals("other.test", commonName(c.getSession().getPeerPrincipal()));
            }
            proxy.join(10_000);
            assertEquals(CloseCode.CLEAN, echo.closed.get(10, TimeUnit.SECONDS));
        }
    }

    // ------------------------------------------------------------------ ALPN, SNI

    @Test
    void alpnPicksTheServersFirstProtocolThatTheClientOffers() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Echo echo = new Echo();
            int port = listenTls(loop, echo, serverTls().withAlpn(List.of("h2", "http/1.1")));
            Collector client = new Collector(1);
            connectTls(loop, client, clientTls().withAlpn(List.of("spdy/3", "http/1.1")), port, ConnectOptions.defaults());
            Socket<ByteArrayOutputStream> s = client.opened.get(10, TimeUnit.SECONDS);
            assertEquals("http/1.1", OnLoop.call(loop, s::applicationProtocol));
            OnLoop.run(loop, s::close);
            assertEquals(CloseCode.CLEAN, echo.closed.get(5, TimeUnit.SECONDS));
            assertEquals("http/1.1", echo.protocol);

            Collector noAlpn = new Collector(1);
            connectTls(loop, noAlpn, clientTls(), port, ConnectOptions.defaults());
            assertNull(OnLoop.call(loop, noAlpn.opened.get(10, TimeUnit.SECONDS)::applicationProtocol));
        }
    }

    @Test
    void sniSelectsTheCertificateByRequestedServerName() throws Exception {
        SSLContext otherContext = TestCertificates.other().serverContext();
        try (Loop loop = Loop.create().start()) {
            Set<String> asked = ConcurrentHashMap.newKeySet();
            int port = listenTls(loop, new Echo(), serverTls().withSni(name -> {
                asked.add(name);
                return name.equals("other.test") ? otherContext : null; // null: the default (localhost)
            }));
            // Gust client asking for other.test (verified: the name must match the presented certificate)
            Collector client = new Collector(1);
            connectTls(loop, client, clientTls(), port, ConnectOptions.defaults().withServerName("other.test"));
            Socket<ByteArrayOutputStream> s = client.opened.get(10, TimeUnit.SECONDS);
            X509Certificate peer = (X509Certificate) OnLoop.call(loop, () -> s.tlsSession().getPeerCertificates()[0]);
            assertEquals("other.test", commonName(peer.getSubjectX500Principal()));

            // Asking for localhost gets the default context's certificate
            Collector local = new Collector(1);
            connectTls(loop, local, clientTls(), port, ConnectOptions.defaults().withServerName("localhost"));
            Socket<ByteArrayOutputStream> l = local.opened.get(10, TimeUnit.SECONDS);
            X509Certificate localPeer = (X509Certificate) OnLoop.call(loop, () -> l.tlsSession().getPeerCertificates()[0]);
            assertEquals("localhost", commonName(localPeer.getSubjectX500Principal()));

            // No SNI at all (an IP literal is never sent): the default certificate, and echo still works
            try (SSLSocket c = jdkClient(port)) {
                c.getOutputStream().write(HELLO);
                assertArrayEquals(HELLO, c.getInputStream().readNBytes(HELLO.length));
                assertEquals("localhost", commonName(c.getSession().getPeerPrincipal()));
            }
            assertEquals(Set.of("other.test", "localhost"), asked);
        }
    }

    // ------------------------------------------------------------------ failures

    @Test
    void plainTcpGarbageGetsTlsErrorAndTheServerKeepsServing() throws Exception {
        SSLContext otherContext = TestCertificates.other().serverContext();
        try (Loop loop = Loop.create().start()) {
            // Once without and once with an SNI selector (which peeks at the first bytes itself).
            for (TlsOptions tls : List.of(serverTls(), serverTls().withSni(n -> otherContext))) {
                Echo echo = new Echo();
                int port = listenTls(loop, echo, tls);
                try (java.net.Socket plain = new java.net.Socket("127.0.0.1", port)) {
                    plain.setSoTimeout(10_000);
                    plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals(CloseCode.TLS_ERROR, echo.closed.get(10, TimeUnit.SECONDS));
                    plain.getInputStream().readAllBytes(); // an alert at most, then the end
                }
                assertEquals(0, echo.opened.get(), "no onOpen without a handshake");
                try (SSLSocket c = jdkClient(port)) {
                    c.getOutputStream().write(HELLO);
                    assertArrayEquals(HELLO, c.getInputStream().readNBytes(HELLO.length));
                }
                assertEquals(1, echo.opened.get());
            }
        }
    }

    @Test
    void hostnameVerificationRejectsACertificateForAnotherName() throws Exception {
        try (Loop loop = Loop.create().start()) {
            Echo echo = new Echo();
            int port = listenTls(loop, echo, serverTls());
            Collector client = new Collector(1);
            connectTls(loop, client, clientTls(), port, ConnectOptions.defaults().withServerName("wrong.example"));
            IOException error = client.connectError.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, error);
            assertFalse(client.opened.isDone());
            assertFalse(client.closed.isDone(), "a failed connect has no onClose");
            assertEquals(CloseCode.TLS_ERROR, echo.closed.get(10, TimeUnit.SECONDS)); // the client's alert

            // The same name without verification: the chain is trusted, so it connects.
            Collector lenient = new Collector(1);
            connectTls(loop, lenient, clientTls().withVerifyHost(false), port,
                    ConnectOptions.defaults().withServerName("wrong.example"));
            assertNotNull(lenient.opened.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void untrustedCertificateIsAConnectError() throws Exception {
        try (Loop loop = Loop.create().start()) {
            int port = listenTls(loop, new Echo(), serverTls());
            Collector client = new Collector(1);
            connectTls(loop, client, TlsOptions.client(SSLContext.getDefault()), port, ConnectOptions.defaults());
            assertInstanceOf(SSLException.class, client.connectError.get(10, TimeUnit.SECONDS));
            assertFalse(client.closed.isDone());
        }
    }

    @Test
    void connectTimeoutCoversAStalledHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             Loop loop = Loop.create().start()) {
            Collector client = new Collector(1);
            long start = System.nanoTime();
            connectTls(loop, client, clientTls(), silent.getLocalPort(),
                    ConnectOptions.defaults().withTimeout(Duration.ofMillis(300)));
            try (java.net.Socket accepted = silent.accept()) { // TCP connects; the TLS server never answers
                IOException error = client.connectError.get(5, TimeUnit.SECONDS);
                assertInstanceOf(SocketTimeoutException.class, error);
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
                assertFalse(client.closed.isDone());
                accepted.setSoTimeout(5_000);
                InputStream in = accepted.getInputStream();
                assertEquals(22, in.read(), "a ClientHello (handshake record) was sent");
                try {
                    while (in.read() >= 0) { } // the rest of it, then the end
                } catch (java.net.SocketException reset) {
                    // the timed-out client aborts: a reset is the end too
                }
            }
        }
    }

    @Test
    void writesBeforeTheHandshakeAreBoundedByMaxBufferedBytes() throws Exception {
        try (Loop loop = Loop.create().start()) {
            int port = listenTls(loop, new Echo(), serverTls());
            Collector client = new Collector(1);
            CompletableFuture<Boolean> secondWrite = new CompletableFuture<>();
            OnLoop.run(loop, () -> {
                var ctx = SocketContext.create(loop, null, client,
                        SocketOptions.defaults().withTls(clientTls()).withMaxBufferedBytes(1000));
                Socket<ByteArrayOutputStream> s = ctx.connect("127.0.0.1", port);
                assertTrue(s.write(new byte[800]));
                secondWrite.complete(s.write(new byte[800]));
            });
            assertFalse(secondWrite.get());
            assertEquals(CloseCode.BACKPRESSURE_LIMIT, client.closed.get(5, TimeUnit.SECONDS));
        }
    }

    // ------------------------------------------------------------------ close_notify

    @Test
    void shutdownSendsCloseNotifyAndThePeerMayKeepWriting() throws Exception {
        try (Loop loop = Loop.create().start()) {
            CompletableFuture<String> serverResult = new CompletableFuture<>();
            int port = listenTls(loop, new SocketHandler<>() {
                final StringBuilder got = new StringBuilder();

                @Override
                public void onOpen(Socket<Void> s, boolean isClient, InetSocketAddress remote) {
                    s.write("bye".getBytes(StandardCharsets.US_ASCII));
                    s.shutdown(); // close_notify, then FIN; reading goes on
                    assertTrue(s.isShutdown());
                }

                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    got.append(StandardCharsets.US_ASCII.decode(data));
                }

                @Override
                public void onClose(Socket<Void> s, int code) {
                    serverResult.complete(got + "/" + CloseCode.name(code));
                }
            }, serverTls());
            CompletableFuture<String> atEnd = new CompletableFuture<>();
            Collector client = new Collector(Integer.MAX_VALUE) {
                @Override
                public void onEnd(Socket<ByteArrayOutputStream> s) {
                    atEnd.complete(s.state().toString(StandardCharsets.US_ASCII));
                    s.write("still talking".getBytes(StandardCharsets.US_ASCII)); // TLS 1.3 half-close
                    s.shutdown();
                }
            };
            connectTls(loop, client, clientTls(), port, ConnectOptions.defaults());
            assertEquals("bye", atEnd.get(10, TimeUnit.SECONDS));
            assertEquals("still talking/CLEAN", serverResult.get(10, TimeUnit.SECONDS));
            assertEquals(CloseCode.CLEAN, client.closed.get(5, TimeUnit.SECONDS));

            // A JDK client sees the server's close_notify as the end of the stream.
            try (SSLSocket c = jdkClient(port)) {
                assertEquals("bye", new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
    }

    // ------------------------------------------------------------------ fairness

    /** A key manager whose certificate choice (run in a delegated task) waits for the test's go. */
    static final class GatedKeyManager extends X509ExtendedKeyManager {
        final X509ExtendedKeyManager delegate;
        final Set<SSLEngine> waiting = ConcurrentHashMap.newKeySet();
        final CountDownLatch go = new CountDownLatch(1);

        GatedKeyManager(KeyManager[] managers) {
            this.delegate = (X509ExtendedKeyManager) managers[0];
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            waiting.add(engine);
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, java.net.Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, java.net.Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    @Test
    void twentyStuckHandshakesDoNotBlockAPlainEchoOnTheSameLoop() throws Exception {
        int n = 20;
        GatedKeyManager gate = new GatedKeyManager(TestCertificates.localhost().keyManagers());
        SSLContext slowServer = TestCertificates.serverContext(new KeyManager[] {gate});
        try (Loop serverLoop = Loop.create().start(); Loop clientLoop = Loop.create().start()) {
            try {
                Echo tlsEcho = new Echo();
                int tlsPort = listenTls(serverLoop, tlsEcho, TlsOptions.server(slowServer));
                int plainPort = OnLoop.call(serverLoop, () -> SocketContext.create(serverLoop, null, new Echo())
                        .listen("127.0.0.1", 0).port());
                CountDownLatch echoed = new CountDownLatch(n);
                SocketHandler<ByteArrayOutputStream> client = new Collector(HELLO.length) {
                    @Override
                    public void onOpen(Socket<ByteArrayOutputStream> s, boolean isClient, InetSocketAddress remote) {
                        super.onOpen(s, isClient, remote);
                        s.write(HELLO);
                    }

                    @Override
                    public void onData(Socket<ByteArrayOutputStream> s, ByteBuffer data) {
                        s.state().writeBytes(StandardCharsets.US_ASCII.decode(data).toString().getBytes(StandardCharsets.US_ASCII));
                        if (s.state().size() == HELLO.length) echoed.countDown();
                    }
                };
                OnLoop.run(clientLoop, () -> {
                    var ctx = SocketContext.create(clientLoop, null, client, SocketOptions.defaults().withTls(clientTls()));
                    for (int i = 0; i < n; i++) ctx.connect("127.0.0.1", tlsPort);
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (gate.waiting.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
                assertEquals(n, gate.waiting.size(), "all handshakes wait in their delegated task at once");

                try (java.net.Socket plain = new java.net.Socket("127.0.0.1", plainPort)) {
                    plain.setSoTimeout(2_000);
                    OutputStream out = plain.getOutputStream();
                    InputStream in = plain.getInputStream();
                    for (int i = 0; i < 50; i++) {
                        out.write(HELLO);
                        assertArrayEquals(HELLO, in.readNBytes(HELLO.length), "plain echo round trip " + i);
                    }
                }
                assertEquals(0, tlsEcho.opened.get());
                gate.go.countDown();
                assertTrue(echoed.await(10, TimeUnit.SECONDS), "every TLS client got its echo");
                assertEquals(n, tlsEcho.opened.get());
            } finally {
                gate.go.countDown();
            }
        }
    }
}

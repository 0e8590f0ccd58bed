package dev.gust.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.loop.TestCertificates;
import dev.gust.loop.TlsOptions;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS streams over the loop's SSLEngine support, with the test certificates of gust-loop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsStreamTest {
    private ExecutorService vts;
    private TcpListener listener;

    @BeforeEach
    void setUp() throws IOException {
        vts = Executors.newVirtualThreadPerTaskExecutor();
        listener = TcpListener.bindTls("127.0.0.1", 0, TlsOptions.server(TestCertificates.localhost().serverContext()));
        vts.submit(() -> {
            while (true) {
                TcpStream s = listener.accept();
                vts.submit(() -> {
                    try (s) {
                        byte[] buf = new byte[8192];
                        int n;
                        while ((n = s.read(buf)) > 0) s.writeAll(buf, 0, n);
                    }
                    return null;
                });
            }
        });
    }

    @AfterEach
    void tearDown() {
        listener.close();
        vts.shutdownNow();
    }

    private static TlsOptions trustingClient() {
        return TlsOptions.client(TestCertificates.clientContext());
    }

    @Test
    void echoesOverTlsBetweenStreams() throws Exception {
        byte[] payload = new byte[200_000];
        new Random(3).nextBytes(payload);
        Future<byte[]> got = vts.submit(() -> {
            try (TcpStream c = TcpStream.connectTls("localhost", listener.port(), trustingClient(), Duration.ofSeconds(10))) {
                assertTrue(c.isTls());
                assertTrue(c.tlsSession().getProtocol().startsWith("TLS"), c.tlsSession().getProtocol());
                Future<?> w = vts.submit(() -> {
                    c.writeAll(payload);
                    c.shutdownOutput();
                    return null;
                });
                byte[] all = c.inputStream().readAllBytes();
                w.get();
                return all;
            }
        });
        assertArrayEquals(payload, got.get());
    }

    @Test
    void interoperatesWithAJdkSslSocket() throws Exception {
        try (SSLSocket jdk = (SSLSocket) TestCertificates.clientContext().getSocketFactory()
                .createSocket("127.0.0.1", listener.port())) {
            jdk.getOutputStream().write("over tls".getBytes());
            assertArrayEquals("over tls".getBytes(), jdk.getInputStream().readNBytes(8));
        }
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeWithAnSslException() throws Exception {
        var e = assertThrows(ExecutionException.class, () -> vts.submit(() -> TcpStream.connectTls("localhost",
                listener.port(), TlsOptions.client(SSLContext.getDefault()), Duration.ofSeconds(10))).get());
        assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("TLS handshake"), e.getCause().getMessage());
    }

    @Test
    void aPlainClientNeverReachesAcceptOnATlsListener() throws Exception {
        // Our own listener: the shared one's accept loop would take it.
        try (TcpListener tls = TcpListener.bindTls("127.0.0.1", 0, TlsOptions.server(TestCertificates.localhost().serverContext()))) {
            Future<?> f = vts.submit(() -> {
                try (TcpStream plain = TcpStream.connect("127.0.0.1", tls.port())) {
                    plain.writeAll("GET / HTTP/1.1\r\n\r\n".getBytes());
                    plain.readTimeout(Duration.ofSeconds(10));
                    // The server answers garbage with an alert and closes: we read EOF or get a reset.
                    try {
                        while (plain.read(new byte[512]) > 0) { /* alert bytes */ }
                    } catch (java.net.SocketException reset) {
                        // also acceptable: the server reset us
                    }
                }
                return null;
            });
            f.get();
            assertThrows(SocketTimeoutException.class, () -> tls.accept(Duration.ofMillis(200)));
        }
    }

    @Test
    void connectTlsRefusesServerOptions() {
        assertThrows(IllegalArgumentException.class, () -> TcpStream.connectTls("localhost", listener.port(),
                TlsOptions.server(TestCertificates.localhost().serverContext()), Duration.ofSeconds(1)));
        assertEquals(true, trustingClient().client());
    }
}

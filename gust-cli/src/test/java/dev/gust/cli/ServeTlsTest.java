package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --tls-cert}/{@code --tls-key}: HTTPS and WSS from openssl-made PEM files, and clear errors for bad ones. */
@Timeout(90)
class ServeTlsTest {
    @TempDir
    static Path dir;
    static Path cert, key, otherKey;

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs openssl: apt-get install openssl", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @BeforeAll
    static void makeCertificate() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem");
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        otherKey = dir.resolve("other.pem");
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gust", dev.gust.loop.PemFiles.certificates(certificate).getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void serveHelloAnswersHttpsOnEveryLoop() throws Exception {
        var r = ServeLoopsTest.start("serve", "hello", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--loops", "2", "--port", "0", "--host", "127.0.0.1");
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build()) {
            for (int i = 0; i < 6; i++) {
                // a fresh client connection each time, so both loops' TLS contexts are used
                try (HttpClient fresh = HttpClient.newBuilder().sslContext(trusting(cert)).build()) {
                    HttpResponse<String> res = fresh.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + r.app().port() + "/")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, res.statusCode());
                    assertEquals("Hello, World!", res.body());
                    assertTrue(res.sslSession().isPresent(), "served over TLS");
                }
            }
            // plain HTTP to the TLS port is not answered as HTTP
            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(java.io.IOException.class, () -> plain.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.app().port() + "/")).timeout(java.time.Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            assertEquals(0, r.stop());
        }
    }

    @Test
    void serveEchoAnswersWss() throws Exception {
        var r = ServeLoopsTest.start("serve", "echo", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--loops", "1", "--port", "0", "--host", "127.0.0.1");
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build()) {
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + r.app().port() + "/"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            w.request(1); // keep reading, so the server's Close frame is seen
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("secure hello", true);
            assertEquals("secure hello", echoed.get(10, TimeUnit.SECONDS));
            ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        } finally {
            assertEquals(0, r.stop());
        }
    }

    @Test
    void badTlsOptionsExitTwoWithAClearMessage() throws Exception {
        assertError("--tls-cert and --tls-key go together", "serve", "hello", "--port", "0", "--tls-cert", cert.toString());
        assertError("--tls-cert and --tls-key go together", "demo", "--port", "0", "--tls-key", key.toString());
        assertError("does not belong to the first certificate", "serve", "echo", "--port", "0",
                "--tls-cert", cert.toString(), "--tls-key", otherKey.toString());
        assertError("cannot read", "demo", "--port", "0", "--tls-cert", dir.resolve("missing.pem").toString(),
                "--tls-key", key.toString());
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertError("no PEM certificate", "serve", "hello", "--port", "0", "--tls-cert", notPem.toString(), "--tls-key", key.toString());
    }

    @Test
    void helpExplainsTheTlsOptions() {
        for (String command : new String[] {"serve", "demo"}) {
            java.io.StringWriter out = new java.io.StringWriter();
            assertEquals(0, new CommandLine(new Main()).setOut(new java.io.PrintWriter(out, true)).execute(command, "--help"));
            assertTrue(out.toString().contains("--tls-cert=PEM") && out.toString().contains("--tls-key=PEM"), out.toString());
        }
    }

    private static void assertError(String expected, String... args) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute(args);
        } finally {
            System.setErr(saved);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, String.join(" ", args) + ": " + message);
        assertTrue(message.contains(expected), message);
    }
}

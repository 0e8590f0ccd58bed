package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and keys as openssl writes them, served over a real TLS handshake. */
@Timeout(60)
class PemFilesTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs openssl: apt-get install openssl", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl hung");
        assertEquals(0, p.exitValue(), "openssl " + String.join(" ", args) + ": " + out);
    }

    /** A self-signed certificate for 127.0.0.1 over {@code key}. */
    private Path certificateFor(String key, String name) throws Exception {
        openssl("req", "-x509", "-key", key, "-out", name, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        return dir.resolve(name);
    }

    @Test
    void servesRsaPkcs8() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        assertTrue(Files.readString(dir.resolve("rsa.pem")).contains("BEGIN PRIVATE KEY"));
        roundTrip(certificateFor("rsa.pem", "rsa.crt"), dir.resolve("rsa.pem"));
    }

    @Test
    void servesRsaPkcs1() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        openssl("rsa", "-in", "rsa.pem", "-traditional", "-out", "rsa1.pem");
        assertTrue(Files.readString(dir.resolve("rsa1.pem")).contains("BEGIN RSA PRIVATE KEY"));
        roundTrip(certificateFor("rsa.pem", "rsa.crt"), dir.resolve("rsa1.pem"));
    }

    @Test
    void servesEcSec1WithParametersBlock() throws Exception {
        // ecparam -genkey writes an "EC PARAMETERS" block before the "EC PRIVATE KEY" one.
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
        assertTrue(Files.readString(dir.resolve("ec.pem")).contains("BEGIN EC PRIVATE KEY"));
        roundTrip(certificateFor("ec.pem", "ec.crt"), dir.resolve("ec.pem"));
    }

    @Test
    void servesEd25519() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
        roundTrip(certificateFor("ed.pem", "ed.crt"), dir.resolve("ed.pem"));
    }

    @Test
    void refusesEncryptedKeysMismatchedKeysAndNonPemFilesClearly() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "a.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "b.pem");
        Path cert = certificateFor("a.pem", "a.crt");
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> PemFiles.serverContext(cert, dir.resolve("b.pem")));
        assertTrue(mismatch.getMessage().contains("does not belong to the first certificate"), mismatch.getMessage());

        openssl("pkcs8", "-topk8", "-in", "a.pem", "-out", "enc.pem", "-passout", "pass:secret");
        var encrypted = assertThrows(IllegalArgumentException.class,
                () -> PemFiles.serverContext(cert, dir.resolve("enc.pem")));
        assertTrue(encrypted.getMessage().contains("encrypted"), encrypted.getMessage());

        var swapped = assertThrows(IllegalArgumentException.class, () -> PemFiles.serverContext(dir.resolve("a.pem"), cert));
        assertTrue(swapped.getMessage().contains("no PEM certificate"), swapped.getMessage());

        var missing = assertThrows(IllegalArgumentException.class,
                () -> PemFiles.serverContext(cert, dir.resolve("nope.pem")));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());

        Files.write(dir.resolve("garbage.pem"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        var binary = assertThrows(IllegalArgumentException.class,
                () -> PemFiles.serverContext(cert, dir.resolve("garbage.pem")));
        assertTrue(binary.getMessage().contains("not a PEM file"), binary.getMessage());
    }

    /** Serves TLS echo with the PEM pair and talks to it with a JDK client that trusts only that certificate. */
    private void roundTrip(Path cert, Path key) throws Exception {
        TlsOptions tls = TlsOptions.serverFromPem(cert, key);
        try (Loop loop = Loop.create().start()) {
            ListenSocket listener = OnLoop.call(loop, () -> SocketContext.create(loop, null, new SocketHandler<Void>() {
                @Override
                public void onData(Socket<Void> s, ByteBuffer data) {
                    s.write(data);
                }
            }, SocketOptions.defaults().withTls(tls)).listen("127.0.0.1", 0));

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            Certificate c = PemFiles.certificates(cert).getFirst();
            trust.setCertificateEntry("server", c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("over pem".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertEquals("over pem", new String(in.readNBytes(8), StandardCharsets.US_ASCII));
                assertEquals(c, s.getSession().getPeerCertificates()[0]);
            }
        }
    }
}

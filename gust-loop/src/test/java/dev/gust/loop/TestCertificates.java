package dev.gust.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test helper: self-signed EC certificates made with the JDK's {@code keytool} at test time (nothing
 * secret is checked in), and SSL contexts built from them. Generated once per JVM, valid for 2 days.
 *
 * <pre>{@code
 * SSLContext server = TestCertificates.localhost().serverContext();
 * SSLContext client = TestCertificates.clientContext(); // trusts every certificate made here
 * }</pre>
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static volatile TestCertificates localhost, other;

    private final String alias;
    private final KeyStore keyStore;

    private TestCertificates(String alias, KeyStore keyStore) {
        this.alias = alias;
        this.keyStore = keyStore;
    }

    /** CN=localhost, SAN dns:localhost, ip:127.0.0.1. */
    public static TestCertificates localhost() {
        generateAll();
        return localhost;
    }

    /** CN=other.test, SAN dns:other.test (the second certificate, for SNI). */
    public static TestCertificates other() {
        generateAll();
        return other;
    }

    /** A client context that trusts both test certificates (and nothing else). */
    public static SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("localhost", localhost().certificate());
            trust.setCertificateEntry("other", other().certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key managers for this certificate (to wrap, for example to slow a handshake down). */
    KeyManager[] keyManagers() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server context presenting this certificate. */
    public SSLContext serverContext() {
        return serverContext(keyManagers());
    }

    static SSLContext serverContext(KeyManager[] keyManagers) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void generateAll() {
        if (localhost != null) return;
        try {
            Path dir = Files.createTempDirectory("gust-test-certs");
            // Both keytool runs at once: each is a JVM start.
            Process a = keytool(dir, "localhost", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
            Process b = keytool(dir, "other", "CN=other.test", "SAN=dns:other.test");
            TestCertificates l = load(dir, "localhost", a);
            TestCertificates o = load(dir, "other", b);
            other = o;
            localhost = l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process keytool(Path dir, String alias, String dname, String san) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", dir.resolve(alias + ".p12").toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-J-XX:TieredStopAtLevel=1"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static TestCertificates load(Path dir, String alias, Process p)
            throws IOException, GeneralSecurityException, InterruptedException {
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed for " + alias + ": " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            ks.load(in, PASSWORD);
        }
        return new TestCertificates(alias, ks);
    }
}

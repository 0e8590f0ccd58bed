package dev.gust.loop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Loads a server's certificate chain and private key from PEM files, the format certbot, openssl and
 * every cloud console hand out, into an {@link SSLContext}.
 *
 * <pre>{@code
 * SSLContext ssl = PemFiles.serverContext(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * server.tls(TlsOptions.server(ssl)).listen(8443);
 * }</pre>
 *
 * <p>Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC, Ed25519/Ed448, RSASSA-PSS),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}). Encrypted keys are
 * refused with a message saying how to decrypt them, because a server started unattended has no one
 * to type a password.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00}; // SEQUENCE { rsaEncryption, NULL }
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemFiles() {}

    /**
     * An SSL context serving the certificate chain in {@code certificateChain} (leaf first) with the
     * private key in {@code privateKey}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLContext serverContext(Path certificateChain, Path privateKey) {
        List<Certificate> chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey);
        checkPair(certificateChain, chain.getFirst(), privateKey, key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the key in " + privateKey + " does not fit the certificate in "
                    + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a key that is not the leaf certificate's: the handshake would fail later, for every client. */
    private static void checkPair(Path certFile, Certificate leaf, Path keyFile, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // no cheap check: the handshake will tell
        };
        if (algorithm == null) return;
        byte[] probe = "gust key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("the private key in " + keyFile
                    + " does not belong to the first certificate in " + certFile);
        }
    }

    /** The X.509 certificates of a PEM file, in file order. */
    public static List<Certificate> certificates(Path file) {
        String text = read(file);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(file + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) throw new IllegalArgumentException(file + " holds no certificate");
            return List.copyOf(certs);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds a broken certificate: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM file (the first key block in it). */
    public static PrivateKey privateKey(Path file) {
        Matcher m = BLOCK.matcher(read(file));
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the " + type + " block is not valid base64", e);
            }
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, sequence(integerZero(), RSA_ALGORITHM, octetString(der)));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] curve = sec1Curve(file, der);
                    return pkcs8(file, sequence(integerZero(), sequence(EC_PUBLIC_KEY_OID, curve), octetString(der)));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(file
                        + " holds an encrypted key; decrypt it first: openssl pkey -in " + file + " -out key.pem");
                default -> { /* certificates, parameters: look further */ }
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + " holds a private key of an unsupported or broken kind");
    }

    /** The named-curve OID of a SEC1 ECPrivateKey: SEQUENCE { version, OCTET STRING, [0] { OID }, ... }. */
    private static byte[] sec1Curve(Path file, byte[] der) {
        try {
            int[] pos = {0};
            expect(der, pos, 0x30);
            readLength(der, pos);
            skipElement(der, pos); // version
            skipElement(der, pos); // private key octets
            expect(der, pos, 0xa0);
            readLength(der, pos);
            int start = pos[0];
            skipElement(der, pos);
            if (der[start] != 0x06) throw new IllegalArgumentException("no named curve");
            return java.util.Arrays.copyOfRange(der, start, pos[0]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": the EC PRIVATE KEY block names no curve (" + e.getMessage() + ")", e);
        }
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) throw new IllegalArgumentException("unexpected DER tag");
    }

    private static int readLength(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) return first;
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) len = (len << 8) | (der[pos[0]++] & 0xff);
        return len;
    }

    private static void skipElement(byte[] der, int[] pos) {
        pos[0]++; // tag
        int len = readLength(der, pos);
        pos[0] += len;
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return tagged(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        return tagged(0x30, body.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(len >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not a PEM file (binary content)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }
}

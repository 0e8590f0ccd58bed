package dev.gust.cli;

import dev.gust.loop.TlsOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tls-cert} and {@code --tls-key}: serve HTTPS and WSS from PEM files (both or neither). */
final class TlsMixin {
    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve HTTPS/WSS with this certificate chain (PEM, leaf first, e.g. certbot's fullchain.pem); needs --tls-key")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The certificate's private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted); needs --tls-cert")
    Path key;

    /** True when TLS was asked for. */
    boolean enabled() {
        return certificate != null || key != null;
    }

    /** The scheme clients use: {@code https} or {@code http}. */
    String httpScheme() {
        return enabled() ? "https" : "http";
    }

    /** The scheme clients use: {@code wss} or {@code ws}. */
    String wsScheme() {
        return enabled() ? "wss" : "ws";
    }

    /** The server TLS options, or null without TLS; on bad files prints a clear error and throws {@link Failed}. */
    TlsOptions options() {
        if (!enabled()) return null;
        if (certificate == null || key == null) {
            throw new Failed("--tls-cert and --tls-key go together (got only " + (certificate == null ? "--tls-key" : "--tls-cert") + ")");
        }
        try {
            return TlsOptions.serverFromPem(certificate, key).withAlpn(java.util.List.of("http/1.1"));
        } catch (IllegalArgumentException e) {
            throw new Failed(e.getMessage());
        }
    }

    /** A TLS setting the user must fix; the message says how. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }
}

package dev.gust.loop;

import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Creates SSL engines for a context's sockets (one factory per context, shared by its sockets):
 * applies client/server mode, ALPN, SNI and hostname verification from {@link TlsOptions}.
 */
final class TlsFactory {
    final TlsOptions options;
    private final String[] alpn;

    TlsFactory(TlsOptions options) {
        this.options = options;
        this.alpn = options.alpn().toArray(String[]::new);
    }

    /** True when the server must see the ClientHello's server name before it can create the engine. */
    boolean needsServerName() {
        return !options.client() && options.sni() != null;
    }

    /**
     * A server engine. With an SNI selector, {@code serverName} (null when the client sent none)
     * picks the SSLContext; a selector returning null falls back to the default context.
     */
    SSLEngine serverEngine(String serverName) {
        SSLContext context = options.context();
        if (serverName != null && options.sni() != null) {
            SSLContext chosen = options.sni().apply(serverName);
            if (chosen != null) context = chosen;
        }
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        if (alpn.length > 0) {
            SSLParameters p = engine.getSSLParameters();
            p.setApplicationProtocols(alpn); // the server picks its first protocol that the client offers
            engine.setSSLParameters(p);
        }
        return engine;
    }

    /** A client engine for {@code serverName} (sent as SNI unless it is an IP literal; verified when asked). */
    SSLEngine clientEngine(String serverName, int port) {
        SSLEngine engine = serverName == null ? options.context().createSSLEngine()
                : options.context().createSSLEngine(serverName, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (serverName != null && !isIpLiteral(serverName)) p.setServerNames(List.of(new SNIHostName(serverName)));
        if (options.verifyHost()) p.setEndpointIdentificationAlgorithm("HTTPS");
        if (alpn.length > 0) p.setApplicationProtocols(alpn);
        engine.setSSLParameters(p);
        return engine;
    }

    /** SNI must not carry IP addresses (RFC 6066 section 3). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true; // IPv6
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') return false;
        }
        return true;
    }
}

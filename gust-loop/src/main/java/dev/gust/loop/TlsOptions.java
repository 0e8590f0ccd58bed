package dev.gust.loop;

import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * TLS settings of a {@link SocketContext}, on the JDK's {@link javax.net.ssl.SSLEngine}.
 *
 * <pre>{@code
 * var server = TlsOptions.server(sslContext).withAlpn(List.of("http/1.1"));
 * var ctx = SocketContext.create(loop, null, handler, SocketOptions.defaults().withTls(server));
 * }</pre>
 *
 * <p>Behaviour: {@code onOpen} fires once the handshake is done (writes made before are held and
 * sent first). The handshake never blocks the loop: the engine's delegated tasks run on virtual
 * threads. A failed handshake closes a server socket with {@link CloseCode#TLS_ERROR} and reaches a
 * client as {@code onConnectError} with an {@link javax.net.ssl.SSLException}; a client's connect
 * timeout covers its handshake, a server's handshake must finish within 10 seconds. SNI on the
 * server: the first record is buffered and the ClientHello's server name read, then the engine is
 * created from {@code sni.apply(name)} (null result or no name: {@code context}). ALPN: the server
 * picks its first protocol the client offers ({@link Socket#applicationProtocol()}).
 *
 * @param context     the SSL context (key material for servers, trust for clients)
 * @param client      true for client mode
 * @param sni         server only: picks an SSL context by the requested server name (null: always {@code context})
 * @param alpn        application protocols, in preference order (empty: no ALPN)
 * @param verifyHost  client only: check that the certificate matches the server name (HTTPS rules)
 */
public record TlsOptions(SSLContext context, boolean client, Function<String, SSLContext> sni, List<String> alpn,
                         boolean verifyHost) {
    public TlsOptions {
        if (context == null) throw new IllegalArgumentException("an SSLContext is required");
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
    }

    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(context, false, null, List.of(), false);
    }

    /**
     * Server options from PEM files (certificate chain, leaf first, and its private key); see
     * {@link PemFiles}.
     *
     * <pre>{@code
     * server.tls(TlsOptions.serverFromPem(Path.of("fullchain.pem"), Path.of("privkey.pem")));
     * }</pre>
     */
    public static TlsOptions serverFromPem(java.nio.file.Path certificateChain, java.nio.file.Path privateKey) {
        return server(PemFiles.serverContext(certificateChain, privateKey));
    }

    public static TlsOptions client(SSLContext context) {
        return new TlsOptions(context, true, null, List.of(), true);
    }

    public TlsOptions withSni(Function<String, SSLContext> selector) {
        return new TlsOptions(context, client, selector, alpn, verifyHost);
    }

    public TlsOptions withAlpn(List<String> protocols) {
        return new TlsOptions(context, client, sni, protocols, verifyHost);
    }

    public TlsOptions withVerifyHost(boolean verify) {
        return new TlsOptions(context, client, sni, alpn, verify);
    }
}

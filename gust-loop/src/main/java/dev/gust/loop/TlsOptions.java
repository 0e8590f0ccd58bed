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

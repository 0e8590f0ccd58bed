package dev.gust.websocket;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Settings of one client connection; a builder whose values {@link WebSocketClient#connect} copies.
 *
 * <pre>{@code
 * var options = ClientOptions.defaults()
 *     .header("Authorization", "Bearer " + token)
 *     .subprotocols("chat.v2", "chat.v1")
 *     .compression(true)
 *     .connectTimeout(Duration.ofSeconds(3))
 *     .handshakeTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Defaults: no extra headers or subprotocols, no compression, 10 s to connect (including TLS),
 * 10 s for the 101, 5 s for the closing handshake, 16 MiB max message, 1 MiB max backpressure,
 * {@code SSLContext.getDefault()} with host name verification for {@code wss://}.
 */
public final class ClientOptions {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> subprotocols = List.of();
    boolean compression;
    boolean compressionNoContextTakeover;
    int compressionThreshold = WebSocketBehavior.DEFAULT_COMPRESSION_THRESHOLD;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration closeTimeout = Duration.ofSeconds(5);
    int maxPayloadLength = 16 << 20;
    long maxBackpressure = 1 << 20;
    SSLContext sslContext;
    boolean verifyHost = true;

    private ClientOptions() {}

    public static ClientOptions defaults() {
        return new ClientOptions();
    }

    ClientOptions copy() {
        ClientOptions c = new ClientOptions();
        c.headers = new LinkedHashMap<>(headers);
        c.subprotocols = subprotocols;
        c.compression = compression;
        c.compressionNoContextTakeover = compressionNoContextTakeover;
        c.compressionThreshold = compressionThreshold;
        c.connectTimeout = connectTimeout;
        c.handshakeTimeout = handshakeTimeout;
        c.closeTimeout = closeTimeout;
        c.maxPayloadLength = maxPayloadLength;
        c.maxBackpressure = maxBackpressure;
        c.sslContext = sslContext;
        c.verifyHost = verifyHost;
        return c;
    }

    /** Adds a request header (not one of the handshake's own: Host, Upgrade, Sec-WebSocket-*...). */
    public ClientOptions header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Subprotocols to offer, in preference order; the server's choice must be one of them. */
    public ClientOptions subprotocols(String... protocols) {
        subprotocols = List.of(protocols);
        return this;
    }

    /**
     * Offers permessage-deflate (default off). The client compresses with its own deflater with
     * context takeover (about 260 KiB of native memory, on first use) unless the server asks for
     * {@code client_no_context_takeover}, and inflates with its own inflater (about 40 KiB) unless
     * the server compresses without context takeover. Messages inflating past
     * {@link #maxPayloadLength} close the connection with 1009.
     */
    public ClientOptions compression(boolean offer) {
        compression = offer;
        return this;
    }

    /** With compression: also offer {@code server_no_context_takeover} and {@code client_no_context_takeover}. */
    public ClientOptions compressionNoContextTakeover(boolean on) {
        compressionNoContextTakeover = on;
        return this;
    }

    /** Messages shorter than this are sent uncompressed (default {@value WebSocketBehavior#DEFAULT_COMPRESSION_THRESHOLD}). */
    public ClientOptions compressionThreshold(int bytes) {
        if (bytes < 0) throw new IllegalArgumentException("compressionThreshold must not be negative");
        compressionThreshold = bytes;
        return this;
    }

    /** Time to establish TCP (and TLS); past it the connect fails with a SocketTimeoutException. */
    public ClientOptions connectTimeout(Duration d) {
        connectTimeout = d;
        return this;
    }

    /** Time from the connection to a complete 101 response. */
    public ClientOptions handshakeTimeout(Duration d) {
        handshakeTimeout = d;
        return this;
    }

    /** Time to wait for the server to finish the closing handshake before dropping TCP. */
    public ClientOptions closeTimeout(Duration d) {
        closeTimeout = d;
        return this;
    }

    public ClientOptions maxPayloadLength(int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("maxPayloadLength must be positive");
        maxPayloadLength = bytes;
        return this;
    }

    /** Bytes that may wait to be written before sends return DROPPED. */
    public ClientOptions maxBackpressure(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("maxBackpressure must be positive");
        maxBackpressure = bytes;
        return this;
    }

    /** Trust for {@code wss://} (default {@code SSLContext.getDefault()}). */
    public ClientOptions sslContext(SSLContext context) {
        sslContext = context;
        return this;
    }

    /** Check the server certificate against the host name (default true). */
    public ClientOptions verifyHost(boolean verify) {
        verifyHost = verify;
        return this;
    }
}

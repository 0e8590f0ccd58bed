package dev.gust.loop;

/**
 * Settings shared by the sockets of a {@link SocketContext}.
 *
 * @param maxBufferedBytes bytes a socket may hold waiting for a slow peer; past this it is closed
 *                         with {@link CloseCode#BACKPRESSURE_LIMIT} (bounded memory per peer)
 * @param tls              TLS settings, or null for plain TCP
 */
public record SocketOptions(long maxBufferedBytes, TlsOptions tls) {
    public SocketOptions {
        if (maxBufferedBytes <= 0) throw new IllegalArgumentException("maxBufferedBytes must be positive");
    }

    /** Plain TCP, 16 MiB write-buffer limit per socket. */
    public static SocketOptions defaults() {
        return new SocketOptions(16L << 20, null);
    }

    public SocketOptions withMaxBufferedBytes(long max) {
        return new SocketOptions(max, tls);
    }

    public SocketOptions withTls(TlsOptions t) {
        return new SocketOptions(maxBufferedBytes, t);
    }
}

package dev.gust.loop;

/** Creates SSL engines for a context's sockets (one per context, shared by its sockets). */
final class TlsFactory {
    final TlsOptions options;

    TlsFactory(TlsOptions options) {
        this.options = options;
    }
}

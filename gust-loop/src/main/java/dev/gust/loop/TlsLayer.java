package dev.gust.loop;

import java.nio.ByteBuffer;

/** The TLS record layer between a {@link Socket} and the wire (SSLEngine). */
final class TlsLayer {
    private final Socket<?> socket;

    TlsLayer(Socket<?> socket, TlsFactory factory, String serverName, int serverPort) {
        this.socket = socket;
        throw new UnsupportedOperationException("TLS is not implemented yet");
    }

    void begin() {}

    void onWireData(ByteBuffer wire) {}

    void onWireEnd() {}

    boolean writeApplicationData(ByteBuffer first, ByteBuffer second, boolean more) {
        return false;
    }

    void closeOutbound() {}

    /** Called when the wire drained; returns true if TLS consumed the event (handshake in progress). */
    boolean onWireDrained() {
        return false;
    }

    void release() {}

    String applicationProtocol() {
        return null;
    }
}

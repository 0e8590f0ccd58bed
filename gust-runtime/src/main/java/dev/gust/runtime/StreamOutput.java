package dev.gust.runtime;

import java.io.IOException;
import java.io.OutputStream;

/** {@link TcpStream#outputStream()}: standard OutputStream semantics; every write is a writeAll. */
final class StreamOutput extends OutputStream {
    private final TcpStream stream;
    private final byte[] one = new byte[1];

    StreamOutput(TcpStream stream) {
        this.stream = stream;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        stream.writeAll(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        stream.writeAll(b, off, len);
    }

    /** Nothing to do: written bytes are already on their way (the loop sends them as they come). */
    @Override
    public void flush() throws IOException {
        if (stream.isClosed()) throw new java.net.SocketException("stream closed");
    }

    @Override
    public void close() {
        stream.close();
    }
}

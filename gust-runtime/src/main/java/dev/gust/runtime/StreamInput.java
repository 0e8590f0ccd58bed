package dev.gust.runtime;

import java.io.IOException;
import java.io.InputStream;

/** {@link TcpStream#inputStream()}: standard InputStream semantics over the stream. */
final class StreamInput extends InputStream {
    private final TcpStream stream;
    private final byte[] one = new byte[1];

    StreamInput(TcpStream stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        int n = stream.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return stream.read(b, off, len);
    }

    @Override
    public int available() {
        return stream.available();
    }

    @Override
    public void close() {
        stream.close();
    }
}

package dev.gust.nio2;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;

/** A CompletionHandler-style echo of one connection, written only against the standard API. */
final class Echo implements CompletionHandler<Integer, Void> {
    private final AsynchronousSocketChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
    private boolean writing;

    private Echo(AsynchronousSocketChannel ch) {
        this.ch = ch;
    }

    static void serve(AsynchronousSocketChannel ch) {
        new Echo(ch).read();
    }

    private void read() {
        writing = false;
        buf.clear();
        ch.read(buf, null, this);
    }

    @Override
    public void completed(Integer n, Void a) {
        if (!writing) {
            if (n < 0) {
                close();
                return;
            }
            buf.flip();
            writing = true;
        }
        if (buf.hasRemaining()) ch.write(buf, null, this);
        else read();
    }

    @Override
    public void failed(Throwable exc, Void a) {
        close();
    }

    private void close() {
        try {
            ch.close();
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
    }
}

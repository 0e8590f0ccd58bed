package dev.gust.bench.nio2;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;

/**
 * A TCP echo server written once against the standard NIO.2 API, CompletionHandler style, the way
 * such servers are usually written: one read buffer per connection, read, write it all back, read
 * again. Which provider runs it is decided only by the group it is given.
 *
 * <pre>{@code
 * var group = AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().factory());
 * Nio2EchoServer.start(group, new InetSocketAddress("127.0.0.1", 9000));
 * }</pre>
 */
public final class Nio2EchoServer {
    private Nio2EchoServer() {}

    /** Binds and accepts forever on {@code group}; returns the server channel. */
    public static AsynchronousServerSocketChannel start(AsynchronousChannelGroup group, InetSocketAddress address)
            throws IOException {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group).bind(address, 4096);
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel ch, Void a) {
                server.accept(null, this);
                try {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException e) {
                    closeQuietly(ch);
                    return;
                }
                new Connection(ch).read();
            }

            @Override
            public void failed(Throwable exc, Void a) {
                if (server.isOpen()) server.accept(null, this);
            }
        });
        return server;
    }

    /** One connection: alternates between reading into its buffer and writing it back. */
    private static final class Connection implements CompletionHandler<Integer, Boolean> {
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);

        Connection(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        void read() {
            buf.clear();
            ch.read(buf, Boolean.TRUE, this);
        }

        /** {@code reading} tells which operation completed (attachment, so no handler per operation). */
        @Override
        public void completed(Integer n, Boolean reading) {
            if (reading) {
                if (n < 0) {
                    closeQuietly(ch);
                    return;
                }
                buf.flip();
            }
            if (buf.hasRemaining()) ch.write(buf, Boolean.FALSE, this);
            else read();
        }

        @Override
        public void failed(Throwable exc, Boolean reading) {
            closeQuietly(ch);
        }
    }

    static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

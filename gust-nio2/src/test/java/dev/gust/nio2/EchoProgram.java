package dev.gust.nio2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain NIO.2 echo program: only the standard API ({@code open()} without a group, handlers),
 * nothing of Gust. {@link Nio2DropInTest} runs it in a child JVM with and without the provider property.
 */
public final class EchoProgram {
    public static void main(String[] args) throws Exception {
        System.out.println("PROVIDER " + AsynchronousChannelProvider.provider().getClass().getName());
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            public void completed(AsynchronousSocketChannel ch, Void a) {
                System.out.println("HANDLER-THREAD " + Thread.currentThread().getName());
                new EchoConnection(ch).read();
            }

            public void failed(Throwable exc, Void a) {
                exc.printStackTrace();
            }
        });
        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
            ByteBuffer in = ByteBuffer.allocate(5);
            while (in.hasRemaining()) {
                if (client.read(in).get(10, TimeUnit.SECONDS) < 0) break;
            }
            System.out.println("ECHO " + new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
        }
        server.close();
        // No System.exit: the default group's threads must let the JVM end by itself.
    }

    /** Reads, writes back, repeats: the usual CompletionHandler ping-pong. */
    private record EchoConnection(AsynchronousSocketChannel ch, ByteBuffer buf) {
        EchoConnection(AsynchronousSocketChannel ch) {
            this(ch, ByteBuffer.allocate(1024));
        }

        void read() {
            buf.clear();
            ch.read(buf, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void v) {
                    if (n < 0) return;
                    buf.flip();
                    write();
                }

                public void failed(Throwable exc, Void v) {}
            });
        }

        void write() {
            ch.write(buf, null, new CompletionHandler<Integer, Void>() {
                public void completed(Integer n, Void v) {
                    if (buf.hasRemaining()) write();
                    else read();
                }

                public void failed(Throwable exc, Void v) {}
            });
        }
    }
}

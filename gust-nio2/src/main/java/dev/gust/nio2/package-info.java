/**
 * A drop-in {@link java.nio.channels.spi.AsynchronousChannelProvider} that runs unmodified NIO.2
 * code ({@link java.nio.channels.AsynchronousSocketChannel},
 * {@link java.nio.channels.AsynchronousServerSocketChannel},
 * {@link java.nio.channels.AsynchronousChannelGroup}) on Gust loops. The only public type is
 * {@link dev.gust.nio2.GustAsynchronousChannelProvider}; everything else is reached through the
 * standard API.
 *
 * <pre>{@code
 * // java -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.gust.nio2.GustAsynchronousChannelProvider ...
 * var group = AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().factory()); // one Gust loop
 * var server = AsynchronousServerSocketChannel.open(group).bind(new InetSocketAddress(9000));
 * server.accept(null, new CompletionHandler<>() {
 *     public void completed(AsynchronousSocketChannel ch, Object a) { server.accept(null, this); serve(ch); }
 *     public void failed(Throwable e, Object a) {}
 * });
 * }</pre>
 */
package dev.gust.nio2;

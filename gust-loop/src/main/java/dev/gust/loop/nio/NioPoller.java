package dev.gust.loop.nio;

import dev.gust.loop.spi.DatagramHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Poller;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

final class NioPoller implements Poller {
    private final Selector selector;
    private final Readiness sink;
    // One reused consumer: select(Consumer) avoids iterating (and allocating) the selected-key set.
    private final Consumer<SelectionKey> dispatch;

    NioPoller(Readiness sink) throws IOException {
        this.selector = Selector.open();
        this.sink = sink;
        this.dispatch = key -> {
            int ready;
            try {
                ready = toGust(key.readyOps());
            } catch (java.nio.channels.CancelledKeyException e) {
                return; // closed earlier in this same poll
            }
            sink.ready(key.attachment(), ready);
        };
    }

    static int toGust(int nioOps) {
        int ops = 0;
        if ((nioOps & SelectionKey.OP_READ) != 0) ops |= Readiness.READ;
        if ((nioOps & SelectionKey.OP_WRITE) != 0) ops |= Readiness.WRITE;
        if ((nioOps & SelectionKey.OP_CONNECT) != 0) ops |= Readiness.CONNECT;
        if ((nioOps & SelectionKey.OP_ACCEPT) != 0) ops |= Readiness.ACCEPT;
        return ops;
    }

    static int toNio(int gustOps) {
        int ops = 0;
        if ((gustOps & Readiness.READ) != 0) ops |= SelectionKey.OP_READ;
        if ((gustOps & Readiness.WRITE) != 0) ops |= SelectionKey.OP_WRITE;
        if ((gustOps & Readiness.CONNECT) != 0) ops |= SelectionKey.OP_CONNECT;
        if ((gustOps & Readiness.ACCEPT) != 0) ops |= SelectionKey.OP_ACCEPT;
        return ops;
    }

    @Override
    public IoHandle listen(InetSocketAddress address, int backlog, boolean reusePort, boolean exclusive,
                           Object attachment) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(address.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.configureBlocking(false);
            // "exclusive" means no other socket may share the port: no SO_REUSEADDR, no SO_REUSEPORT.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, !exclusive);
            if (reusePort && !exclusive && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, backlog);
            NioStreamHandle h = new NioStreamHandle(selector, ch, null, attachment);
            h.interest(Readiness.ACCEPT);
            return h;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public IoHandle connect(InetSocketAddress remote, InetSocketAddress source, Object attachment) throws IOException {
        SocketChannel ch = SocketChannel.open(remote.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) ch.bind(source);
            boolean connected = ch.connect(remote);
            NioStreamHandle h = new NioStreamHandle(selector, null, ch, attachment);
            h.interest(connected ? Readiness.WRITE : Readiness.CONNECT);
            return h;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public IoHandle adopt(dev.gust.loop.spi.DetachedHandle detached, Object attachment) throws IOException {
        if (!(detached instanceof NioDetached token)) {
            throw new IllegalArgumentException("cannot adopt a handle of transport '" + detached.transport() + "' into nio");
        }
        return NioStreamHandle.adopt(selector, token, attachment);
    }

    @Override
    public DatagramHandle openDatagram(InetSocketAddress local, boolean reusePort, Object attachment)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(local.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.configureBlocking(false);
            if (reusePort && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(local);
            return new NioDatagramHandle(selector, ch, attachment);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        if (timeoutNanos == 0) return selector.selectNow(dispatch);
        if (timeoutNanos < 0) return selector.select(dispatch);
        long millis = Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
        return selector.select(dispatch, millis);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}

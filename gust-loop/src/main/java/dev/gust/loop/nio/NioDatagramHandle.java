package dev.gust.loop.nio;

import dev.gust.loop.spi.DatagramHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/** A UDP socket on a Selector. */
final class NioDatagramHandle implements DatagramHandle {
    private final Selector selector;
    private final DatagramChannel channel;
    private final Object attachment;
    private SelectionKey key;

    NioDatagramHandle(Selector selector, DatagramChannel channel, Object attachment) {
        this.selector = selector;
        this.channel = channel;
        this.attachment = attachment;
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return (InetSocketAddress) channel.receive(dst);
    }

    @Override
    public boolean send(ByteBuffer src, InetSocketAddress target) throws IOException {
        int n = target == null ? channel.write(src) : channel.send(src, target);
        return n > 0 || !src.hasRemaining();
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        if (remote == null) channel.disconnect();
        else channel.connect(remote);
    }

    @Override
    public void interest(int ops) {
        int nio = NioPoller.toNio(ops);
        try {
            if (key == null) key = channel.register(selector, nio, attachment);
            else if (key.isValid()) key.interestOps(nio);
        } catch (ClosedChannelException e) {
            // closed: nothing to watch
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (key != null) key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // dropping it anyway
        }
    }
}

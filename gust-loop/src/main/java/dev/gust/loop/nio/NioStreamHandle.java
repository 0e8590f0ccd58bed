package dev.gust.loop.nio;

import dev.gust.loop.spi.IoHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A TCP socket or listener on a Selector. */
final class NioStreamHandle implements IoHandle {
    private final Selector selector;
    private final ServerSocketChannel server;
    private final SocketChannel channel;
    private final Object attachment;
    private SelectionKey key;
    private int interest;
    private boolean detached;

    NioStreamHandle(Selector selector, ServerSocketChannel server, SocketChannel channel, Object attachment) {
        this.selector = selector;
        this.server = server;
        this.channel = channel;
        this.attachment = attachment;
    }

    private SelectableChannel selectable() {
        return server != null ? server : channel;
    }

    /** Adopts a channel detached from another selector (or this one). */
    static NioStreamHandle adopt(Selector selector, NioDetached token, Object attachment) throws IOException {
        SocketChannel ch = token.take();
        SelectionKey stale = ch.keyFor(selector);
        if (stale != null) {
            // The cancelled-key rule: a channel whose key on this selector was cancelled cannot be
            // registered again until the selector has selected once. Select now and drop what it
            // reports: the selector is level-triggered, so those keys are reported again next poll.
            selector.selectNow(ignored -> {});
            if (ch.keyFor(selector) != null) throw new IOException("channel is still registered with the target selector");
        }
        return new NioStreamHandle(selector, null, ch, attachment);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (detached) throw new ClosedChannelException();
        return channel.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (detached) throw new ClosedChannelException();
        return channel.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (detached) throw new ClosedChannelException();
        return channel.write(src);
    }

    @Override
    public dev.gust.loop.spi.DetachedHandle detach() {
        if (channel == null) throw new IllegalStateException("a listener cannot be detached");
        if (detached || !channel.isOpen()) throw new IllegalStateException("handle is closed or detached");
        detached = true;
        // Cancelling deregisters the channel at this selector's next select; the channel stays open.
        if (key != null) key.cancel();
        key = null;
        return new NioDetached(channel);
    }

    @Override
    public IoHandle accept(Object attachment) throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new NioStreamHandle(selector, null, ch, attachment);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public void interest(int ops) {
        if (detached) return;
        if (ops == interest && key != null) return;
        interest = ops;
        int nio = NioPoller.toNio(ops);
        try {
            if (key == null) {
                key = selectable().register(selector, nio, attachment);
            } else if (key.isValid()) {
                key.interestOps(nio);
            }
        } catch (ClosedChannelException e) {
            // closed: nothing to watch any more
        }
    }

    @Override
    public int interest() {
        return interest;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    @Override
    public void close(boolean abortive) {
        if (detached) return; // the adopting handle owns the channel now
        try {
            if (key != null) key.cancel();
            if (abortive && channel != null && channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            selectable().close();
        } catch (IOException ignored) {
            // nothing more to do for a socket we are dropping
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) (server != null ? server.getLocalAddress() : channel.getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        try {
            return channel == null ? null : (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void noDelay(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (detached) throw new ClosedChannelException();
        if (server != null) server.setOption(name, value);
        else channel.setOption(name, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (detached) throw new ClosedChannelException();
        return server != null ? server.getOption(name) : channel.getOption(name);
    }
}

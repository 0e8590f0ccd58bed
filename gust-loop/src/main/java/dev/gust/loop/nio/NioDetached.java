package dev.gust.loop.nio;

import dev.gust.loop.spi.DetachedHandle;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** A SocketChannel between two selectors; whoever takes it first (adopt or close) owns it. */
final class NioDetached implements DetachedHandle {
    private final AtomicReference<SocketChannel> channel;

    NioDetached(SocketChannel channel) {
        this.channel = new AtomicReference<>(channel);
    }

    SocketChannel take() {
        SocketChannel ch = channel.getAndSet(null);
        if (ch == null) throw new IllegalArgumentException("this detached handle was adopted or closed already");
        return ch;
    }

    @Override
    public String transport() {
        return "nio";
    }

    @Override
    public void close() {
        SocketChannel ch = channel.getAndSet(null);
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // dropping it anyway
        }
    }
}

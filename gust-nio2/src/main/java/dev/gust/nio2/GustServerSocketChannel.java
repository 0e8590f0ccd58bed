package dev.gust.nio2;

import dev.gust.loop.ListenOptions;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousServerSocketChannel} that listens on every loop of its group (SO_REUSEPORT
 * when there are several), so accepted channels spread over the loops; an accept handler runs on
 * the loop of the channel it gets.
 *
 * <p>Gust accepts connections as they come. While no accept is pending they wait in a queue of at
 * most {@code backlog} channels (their reading paused); past that, new connections are reset and
 * a log line says so: bounded memory under a connection storm, as the kernel's own backlog.
 */
final class GustServerSocketChannel extends AsynchronousServerSocketChannel implements GustChannel {
    private static final System.Logger LOG = System.getLogger("dev.gust.nio2");
    private static final int DEFAULT_BACKLOG = 1024;

    private final GustChannelGroup group;
    private final ChannelOptions options = new ChannelOptions(ChannelOptions.SERVER);
    private final Object lock = new Object();
    private volatile boolean open = true;
    private volatile InetSocketAddress localAddress;
    private List<ListenSocket> listeners; // guarded by lock
    private int backlog;
    private final ArrayDeque<GustSocketChannel> waiting = new ArrayDeque<>(); // accepted, not yet claimed
    private CompletionHandler<Object, Object> acceptHandler; // guarded by lock
    private Object acceptAttachment;
    private LoopSlot acceptSlot; // where a failure of the pending accept is reported

    GustServerSocketChannel(AsynchronousChannelProvider provider, GustChannelGroup group) {
        super(provider);
        this.group = group;
        group.register(this);
    }

    /** The per-loop context state: routes accepted sockets back to this channel. */
    final class Listener {
        final LoopSlot slot;

        Listener(LoopSlot slot) {
            this.slot = slot;
        }

        /** A connection was accepted on {@code slot}'s loop (loop thread). */
        void onAccepted(Socket<GustSocketChannel> socket) {
            GustSocketChannel ch;
            try {
                ch = new GustSocketChannel(provider(), group, slot, socket);
            } catch (ShutdownChannelGroupException e) {
                socket.abort();
                return;
            }
            CompletionHandler<Object, Object> h;
            Object a;
            synchronized (lock) {
                h = acceptHandler;
                a = acceptAttachment;
                if (h == null) {
                    if (!open || waiting.size() >= backlog) {
                        h = null;
                    } else {
                        waiting.add(ch);
                        return;
                    }
                } else {
                    acceptHandler = null;
                    acceptAttachment = null;
                }
            }
            if (h == null) {
                if (open) {
                    LOG.log(System.Logger.Level.WARNING, "resetting a connection from {0}: {1} accepted connections "
                            + "already wait for accept() on {2}", socket.remoteAddress(), backlog, localAddress);
                }
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // never thrown
                }
                socket.abort();
                return;
            }
            slot.completed(GustServerSocketChannel.this, h, ch, a);
        }
    }

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        InetSocketAddress isa = local == null ? new InetSocketAddress(0) : GustSocketChannel.checkAddress(local);
        List<ListenSocket> bound;
        synchronized (lock) {
            if (!open) throw new ClosedChannelException();
            if (listeners != null) throw new AlreadyBoundException();
            this.backlog = backlog < 1 ? DEFAULT_BACKLOG : backlog;
            boolean reuseAddress = options.getOr(StandardSocketOptions.SO_REUSEADDR, true);
            ListenOptions lo = ListenOptions.defaults().withBacklog(this.backlog).withExclusive(!reuseAddress);
            try {
                listeners = group.loopGroup().listen(isa.getAddress().getHostAddress(), isa.getPort(), lo,
                        loop -> SocketContext.create(loop, new Listener(group.slotOf(loop)), SocketEvents.INSTANCE));
            } catch (UncheckedIOException e) {
                BindException b = new BindException(e.getMessage());
                b.initCause(e.getCause());
                throw b;
            }
            localAddress = listeners.getFirst().localAddress();
            bound = listeners;
        }
        // Outside the lock: a connection accepted meanwhile takes the lock on the loop thread, which
        // would otherwise wait for us while we wait for it.
        for (ListenSocket l : bound) LoopSlot.await(l.loop(), () -> {
            options.applyTo(l); // accepted sockets inherit the listener's receive buffer, as with the JDK
            return null;
        });
        return this;
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        if (!open) throw new ClosedChannelException();
        options.set(name, value); // validates like the JDK; applied at bind when not bound yet
        List<ListenSocket> ls;
        synchronized (lock) {
            ls = listeners;
        }
        if (ls != null) {
            for (ListenSocket l : ls) LoopSlot.await(l.loop(), () -> {
                if (!l.isClosed()) l.setOption(name, value);
                return null;
            });
        }
        return this;
    }

    /** The kernel's value (of the first loop's listener) once bound, else the value set or the default. */
    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        if (!open) throw new ClosedChannelException();
        T recorded;
        if (name == StandardSocketOptions.SO_REUSEADDR) {
            @SuppressWarnings("unchecked") T v = (T) options.getOr(StandardSocketOptions.SO_REUSEADDR, true);
            recorded = v;
        } else {
            recorded = options.get(name); // validates
        }
        ListenSocket first;
        synchronized (lock) {
            first = listeners == null || listeners.isEmpty() ? null : listeners.getFirst();
        }
        if (first == null) return recorded;
        T real = LoopSlot.await(first.loop(), () -> first.isClosed() ? null : first.getOption(name));
        return real != null ? real : recorded;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        if (!open) throw new ClosedChannelException();
        return localAddress;
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        @SuppressWarnings("unchecked") CompletionHandler<Object, Object> h = (CompletionHandler<Object, Object>) (CompletionHandler<?, ?>) handler;
        GustSocketChannel ready;
        synchronized (lock) {
            if (!open) {
                ready = null;
            } else {
                if (listeners == null) throw new NotYetBoundException();
                if (acceptHandler != null) throw new AcceptPendingException();
                ready = waiting.poll();
                if (ready == null) {
                    acceptHandler = h;
                    acceptAttachment = attachment;
                    acceptSlot = group.nextSlot();
                    return;
                }
            }
        }
        if (ready == null) {
            group.nextSlot().failed(this, h, new ClosedChannelException(), attachment);
            return;
        }
        LoopSlot slot = ready.slot();
        slot.completed(this, h, ready, attachment); // inline only when already on its loop
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        OpFuture<AsynchronousSocketChannel> f = new OpFuture<>((future, interrupt) -> {
            synchronized (lock) {
                if (acceptAttachment == future) {
                    acceptHandler = null;
                    acceptAttachment = null;
                }
            }
            if (interrupt) {
                try {
                    close();
                } catch (IOException ignored) {
                    // never thrown
                }
            }
        });
        accept(f, OpFuture.handler());
        return f;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Stops listening; a pending accept fails with {@link AsynchronousCloseException}, waiting connections close. */
    @Override
    public void close() throws IOException {
        if (markClosed()) finishClose();
    }

    @Override
    public boolean markClosed() {
        synchronized (lock) {
            if (!open) return false;
            open = false;
        }
        group.unregister(this);
        return true;
    }

    @Override
    public void finishClose() {
        List<ListenSocket> ls;
        CompletionHandler<Object, Object> h;
        Object a;
        LoopSlot slot;
        GustSocketChannel[] unclaimed;
        synchronized (lock) {
            ls = listeners;
            listeners = List.of();
            h = acceptHandler;
            a = acceptAttachment;
            slot = acceptSlot;
            acceptHandler = null;
            acceptAttachment = null;
            unclaimed = waiting.toArray(GustSocketChannel[]::new);
            waiting.clear();
        }
        if (ls != null) {
            for (int i = 0; i < ls.size(); i++) { // listeners are in loop order
                ListenSocket l = ls.get(i);
                group.slotOf(group.loopGroup().loop(i)).run(l::close);
            }
        }
        for (GustSocketChannel c : unclaimed) {
            if (c.markClosed()) c.finishClose();
        }
        if (h != null) slot.failed(this, h, new AsynchronousCloseException(), a);
    }

    @Override
    public String toString() {
        return "GustServerSocketChannel[" + (open ? "" : "closed ") + localAddress + "]";
    }
}

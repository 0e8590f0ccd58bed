package dev.gust.loop;

import dev.gust.loop.spi.DetachedHandle;
import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/** A listening socket of a {@link SocketContext}; accepted connections become {@link Socket}s of that context. */
public final class ListenSocket extends LoopResource {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.ListenSocket");
    /** Accepts per readiness event, so a connection storm cannot starve sockets already open. */
    private static final int ACCEPT_BUDGET = 64;

    final SocketContext<?, ?> context;
    private IoHandle handle;
    private boolean closed;
    /** Acceptor mode: accepted connections go round-robin to these contexts (one per loop); else null. */
    private List<? extends SocketContext<?, ?>> spreadTo;
    private int nextTarget;

    ListenSocket(SocketContext<?, ?> context) {
        this.context = context;
    }

    void opened(IoHandle h) {
        this.handle = h;
        context.loop().register(this);
    }

    /** Acceptor mode: from now on accepted connections go round-robin to {@code targets}. Loop thread. */
    void spreadOver(List<? extends SocketContext<?, ?>> targets) {
        this.spreadTo = List.copyOf(targets);
    }

    /** The loop this listener belongs to (its options are set on this loop's thread). */
    public Loop loop() {
        return context.loop();
    }

    /** The bound address (with the chosen port when listening on port 0). */
    public InetSocketAddress localAddress() {
        return handle.localAddress();
    }

    public int port() {
        return handle.localAddress().getPort();
    }

    /**
     * Sets a listener socket option: {@code SO_RCVBUF} (inherited by accepted sockets) or
     * {@code SO_REUSEADDR}; others throw {@link UnsupportedOperationException}. Loop thread only.
     *
     * <pre>{@code
     * // on the listener's loop thread:
     * listener.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
     * int granted = listener.getOption(StandardSocketOptions.SO_RCVBUF);
     * }</pre>
     *
     * @throws IllegalArgumentException a null value or a negative buffer size
     * @throws ClosedChannelException   the listener is closed
     */
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        context.loop().checkThread("ListenSocket.setOption");
        if (closed) throw new ClosedChannelException();
        handle.setOption(name, value);
    }

    /** Reads a listener socket option back from the kernel; loop thread only, errors as {@link #setOption}. */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        context.loop().checkThread("ListenSocket.getOption");
        if (closed) throw new ClosedChannelException();
        return handle.getOption(name);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops accepting; open sockets are not affected. */
    public void close() {
        context.loop().checkThread("ListenSocket.close");
        if (closed) return;
        closed = true;
        context.loop().unregister(this);
        handle.close(false);
    }

    @Override
    void onReady(int readyOps) {
        if (closed || (readyOps & Readiness.ACCEPT) == 0) return;
        for (int i = 0; i < ACCEPT_BUDGET; i++) {
            SocketContext<?, ?> target = spreadTo == null ? context : spreadTo.get(nextTarget);
            if (target.loop() != context.loop()) {
                if (!handOff(target)) return;
                continue;
            }
            Socket<?> socket = new Socket<>(target, false);
            IoHandle accepted;
            try {
                accepted = handle.accept(socket);
            } catch (IOException e) {
                // EMFILE and friends: log and try again on the next readiness
                LOG.log(System.Logger.Level.WARNING, "accept failed on {0}: {1}", localAddress(), e.toString());
                return;
            }
            if (accepted == null) return;
            advance();
            socket.opened(accepted);
            if (closed) return;
        }
    }

    private void advance() {
        if (spreadTo != null && ++nextTarget == spreadTo.size()) nextTarget = 0;
    }

    /** Acceptor mode: accepts one connection for another loop; false when none is waiting (or accept failed). */
    private boolean handOff(SocketContext<?, ?> target) {
        IoHandle accepted;
        try {
            accepted = handle.accept(null);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "accept failed on {0}: {1}", localAddress(), e.toString());
            return false;
        }
        if (accepted == null) return false;
        advance();
        if (target.isClosed()) { // that loop went away: its share of connections is refused
            accepted.close(false);
            return true;
        }
        DetachedHandle detached;
        try {
            detached = accepted.detach();
        } catch (UnsupportedOperationException e) {
            // LoopGroup checks Transport.supportsHandOff() first; a transport that says yes and then
            // refuses is broken: drop the connection loudly rather than serve it without an owner.
            LOG.log(System.Logger.Level.WARNING, "transport cannot detach an accepted socket: {0}", e.getMessage());
            accepted.close(false);
            return true;
        }
        Socket<?> socket = new Socket<>(target, false);
        try {
            target.loop().defer(() -> socket.adoptAccepted(detached));
        } catch (RejectedExecutionException e) {
            detached.close();
        }
        return true;
    }

    @Override
    void closeForLoopShutdown() {
        closed = true;
        handle.close(false);
    }

    @Override
    public String toString() {
        return "ListenSocket[" + (handle == null ? "?" : handle.localAddress()) + "]";
    }
}

package dev.gust.loop;

import dev.gust.loop.spi.IoHandle;
import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening socket of a {@link SocketContext}; accepted connections become {@link Socket}s of that context. */
public final class ListenSocket extends LoopResource {
    private static final System.Logger LOG = System.getLogger("dev.gust.loop.ListenSocket");
    /** Accepts per readiness event, so a connection storm cannot starve sockets already open. */
    private static final int ACCEPT_BUDGET = 64;

    final SocketContext<?, ?> context;
    private IoHandle handle;
    private boolean closed;

    ListenSocket(SocketContext<?, ?> context) {
        this.context = context;
    }

    void opened(IoHandle h) {
        this.handle = h;
        context.loop().register(this);
    }

    /** The bound address (with the chosen port when listening on port 0). */
    public InetSocketAddress localAddress() {
        return handle.localAddress();
    }

    public int port() {
        return handle.localAddress().getPort();
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
            Socket<?> socket = new Socket<>(context, false);
            IoHandle accepted;
            try {
                accepted = handle.accept(socket);
            } catch (IOException e) {
                // EMFILE and friends: log and try again on the next readiness
                LOG.log(System.Logger.Level.WARNING, "accept failed on {0}: {1}", localAddress(), e.toString());
                return;
            }
            if (accepted == null) return;
            socket.opened(accepted);
            if (closed) return;
        }
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

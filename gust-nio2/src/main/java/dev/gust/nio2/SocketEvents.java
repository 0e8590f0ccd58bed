package dev.gust.nio2;

import dev.gust.loop.Socket;
import dev.gust.loop.SocketHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The one handler of every Gust socket behind a channel: it forwards the loop's events to the
 * channel kept in the socket's state. Accepted sockets have no channel yet; their context's state is
 * the server channel that listens.
 */
final class SocketEvents implements SocketHandler<GustSocketChannel> {
    static final SocketEvents INSTANCE = new SocketEvents();

    private SocketEvents() {}

    @Override
    public void onOpen(Socket<GustSocketChannel> socket, boolean isClient, InetSocketAddress remote) {
        socket.pauseReading(); // nothing is read before the program asks (bounded memory)
        if (isClient) {
            GustSocketChannel ch = socket.state();
            if (ch != null) ch.onConnected();
            return;
        }
        if (socket.context().state() instanceof GustServerSocketChannel.Listener l) l.onAccepted(socket);
        else socket.abort();
    }

    @Override
    public void onData(Socket<GustSocketChannel> socket, ByteBuffer data) {
        GustSocketChannel ch = socket.state();
        if (ch != null) ch.onData(data);
    }

    @Override
    public void onWritable(Socket<GustSocketChannel> socket) {
        GustSocketChannel ch = socket.state();
        if (ch != null) ch.onWritable();
    }

    @Override
    public void onEnd(Socket<GustSocketChannel> socket) {
        // Half-close: the program sees -1 and decides; our side stays open, as with the JDK.
        GustSocketChannel ch = socket.state();
        if (ch != null) ch.onEnd();
        else socket.shutdown();
    }

    @Override
    public void onClose(Socket<GustSocketChannel> socket, int code) {
        GustSocketChannel ch = socket.state();
        if (ch != null) ch.onSocketClosed(code);
    }

    @Override
    public void onTimeout(Socket<GustSocketChannel> socket) {
        // unused: channel timeouts are per operation (their own timers)
    }

    @Override
    public void onConnectError(Socket<GustSocketChannel> socket, IOException error) {
        GustSocketChannel ch = socket.state();
        if (ch != null) ch.onConnectError(error);
    }
}

package dev.gust.runtime;

import dev.gust.loop.Socket;
import dev.gust.loop.SocketHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The loop side of every blocking stream: socket events go to the socket's {@link TcpStream}
 * (its state). One stateless instance serves all sockets.
 */
final class StreamHandler implements SocketHandler<TcpStream> {
    static final StreamHandler INSTANCE = new StreamHandler();

    private StreamHandler() {}

    @Override
    public void onOpen(Socket<TcpStream> socket, boolean isClient, InetSocketAddress remote) {
        if (isClient) {
            socket.state().opened(socket);
            return;
        }
        // Accepted: the context's state is the listener that queues it for accept().
        TcpListener listener = (TcpListener) socket.context().state();
        TcpStream stream = new TcpStream(LoopBridge.of(socket.loop()), listener.options(), false);
        socket.state(stream);
        stream.opened(socket);
        listener.offer(stream);
    }

    @Override
    public void onData(Socket<TcpStream> socket, ByteBuffer data) {
        TcpStream s = socket.state();
        if (s != null && s.inbound.onData(data)) socket.pauseReading();
    }

    @Override
    public void onWritable(Socket<TcpStream> socket) {
        TcpStream s = socket.state();
        if (s != null) s.onWritable();
    }

    @Override
    public void onEnd(Socket<TcpStream> socket) {
        // Half-close: the reader sees EOF; our side stays open until shutdownOutput() or close().
        TcpStream s = socket.state();
        if (s != null) s.inbound.onEnd();
        else socket.shutdown();
    }

    @Override
    public void onClose(Socket<TcpStream> socket, int code) {
        TcpStream s = socket.state();
        if (s != null) s.onClosed(code);
    }

    @Override
    public void onTimeout(Socket<TcpStream> socket) {
        // Only armed while a closed stream waits for its last bytes to drain to a stalled peer.
        socket.abort();
    }

    @Override
    public void onConnectError(Socket<TcpStream> socket, IOException error) {
        TcpStream s = socket.state();
        if (s != null) s.connectFailed(error);
    }
}

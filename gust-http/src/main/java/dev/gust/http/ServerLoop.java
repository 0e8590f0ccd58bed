package dev.gust.http;

import dev.gust.http.response.DateHeader;
import dev.gust.http.response.ResponseHeadWriter;
import dev.gust.loop.ListenSocket;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import dev.gust.loop.SocketOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The part of an {@link HttpServer} that lives on one loop: its socket context and listeners, its
 * open connections and its response head writer (with the date cache). Nothing here is shared with
 * the other loops, so the loop touches it without locks. Loop thread, unless noted.
 */
final class ServerLoop {
    final HttpServer server;
    final Loop loop;
    final ResponseHeadWriter headWriter = new ResponseHeadWriter(new DateHeader());
    /** Completes when graceful shutdown has no connection left on this loop. Any thread. */
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    // Added by the listening thread while the loop may run (listen from outside): copy-on-write.
    private final List<ListenSocket> listeners = new CopyOnWriteArrayList<>();
    private final LinkedHashSet<HttpConnection> connections = new LinkedHashSet<>();
    private volatile int connectionCount; // readable from any thread for stats
    private SocketContext<HttpServer, HttpConnection> context;

    ServerLoop(HttpServer server, Loop loop) {
        this.server = server;
        this.loop = loop;
    }

    /** This loop's socket context, created on first listen. */
    SocketContext<HttpServer, HttpConnection> context(SocketOptions socketOptions) {
        if (context == null) context = SocketContext.create(loop, server, new Handler(), socketOptions);
        return context;
    }

    void listening(ListenSocket listener) {
        listeners.add(listener);
    }

    /** Open connections on this loop; any thread (may lag a moment behind the loop). */
    int connectionCount() {
        return connectionCount;
    }

    void connectionClosed(HttpConnection c) {
        connections.remove(c);
        connectionCount = connections.size();
        if (server.isClosing() && connections.isEmpty()) drained.complete(null);
    }

    /** Stops accepting, lets in-flight requests finish within the grace period, then closes the rest. */
    void beginShutdown() {
        for (ListenSocket l : listeners) l.close();
        for (HttpConnection c : new ArrayList<>(connections)) c.shutdownGracefully();
        if (connections.isEmpty()) {
            drained.complete(null);
            return;
        }
        if (loop.isRunning()) {
            loop.setTimeout(server.options().shutdownGrace(), () -> {
                for (HttpConnection c : new ArrayList<>(connections)) c.socket.close();
                drained.complete(null);
            });
        }
    }

    /** Closes the context of a loop the server does not own (its sockets go with it). */
    void closeContext() {
        if (context != null) context.close();
    }

    /** Socket events of this loop's connections, dispatched to their {@link HttpConnection}. */
    private final class Handler implements SocketHandler<HttpConnection> {
        @Override
        public void onOpen(Socket<HttpConnection> s, boolean isClient, InetSocketAddress remote) {
            HttpConnection c = new HttpConnection(ServerLoop.this, s);
            s.state(c);
            connections.add(c);
            connectionCount = connections.size();
            s.timeout(server.options().idleTimeout());
            if (server.isClosing()) c.shutdownGracefully();
        }

        @Override
        public void onData(Socket<HttpConnection> s, ByteBuffer data) {
            s.state().onSocketData(data);
        }

        @Override
        public void onWritable(Socket<HttpConnection> s) {
            s.state().onSocketWritable();
        }

        @Override
        public void onEnd(Socket<HttpConnection> s) {
            s.state().onPeerEnd();
        }

        @Override
        public void onClose(Socket<HttpConnection> s, int code) {
            HttpConnection c = s.state();
            if (c != null) c.onSocketClose(code);
        }

        @Override
        public void onTimeout(Socket<HttpConnection> s) {
            s.state().onSocketTimeout();
        }

        @Override
        public void onLongTimeout(Socket<HttpConnection> s) {
            s.state().onSocketLongTimeout();
        }
    }
}

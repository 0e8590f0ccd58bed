package dev.gust.bench.peers;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** Jetty 12.1 core API (no servlets): one selector, no acceptor thread, a small QueuedThreadPool. */
public final class JettyPeer {
    private JettyPeer() {}

    static final Set<Session> ALL = ConcurrentHashMap.newKeySet();

    static void start(String workload, int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("jetty");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 0, 1); // 0 acceptors (selector accepts), 1 selector
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        switch (workload) {
            case "http" -> server.setHandler(new Hello());
            case "ws-echo", "ws-broadcast" -> {
                boolean echo = workload.equals("ws-echo");
                WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
                    container.setMaxBinaryMessageSize(16 << 20);
                    container.setIdleTimeout(java.time.Duration.ofMinutes(10));
                    container.addMapping("/*", (rq, rs, cb) -> echo ? new Echo() : new Broadcast());
                });
                server.setHandler(ws);
            }
            default -> throw PeerMain.unsupported("jetty", workload);
        }
        server.start();
        PeerMain.ready("jetty", workload, port);
        server.join();
    }

    static final class Hello extends Handler.Abstract.NonBlocking {
        static final ByteBuffer BODY = ByteBuffer.wrap(PeerMain.HELLO).asReadOnlyBuffer();
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, PeerMain.HELLO.length);
            response.write(true, BODY.slice(), callback);
            return true;
        }
    }

    /** Echo: the incoming buffer goes straight back; its callback completes when the send does. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        Session session;
        @Override public void onWebSocketOpen(Session s) { session = s; }
        @Override public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback cb) { session.sendBinary(payload, cb); }
        @Override public void onWebSocketText(String text) { session.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP); }
    }

    /** Broadcast: every session in one concurrent set; the payload is copied once and sent to all. */
    public static final class Broadcast implements Session.Listener.AutoDemanding {
        Session session;
        @Override public void onWebSocketOpen(Session s) { session = s; ALL.add(s); }
        @Override public void onWebSocketClose(int code, String reason) { ALL.remove(session); }
        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback cb) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            cb.succeed();
            for (Session s : ALL) if (s.isOpen()) s.sendBinary(copy.slice(), org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
        @Override
        public void onWebSocketText(String text) {
            for (Session s : ALL) if (s.isOpen()) s.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }
}

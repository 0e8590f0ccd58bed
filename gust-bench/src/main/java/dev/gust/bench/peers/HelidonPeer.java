package dev.gust.bench.peers;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Helidon SE 4 WebServer ("Níma"): blocking handlers on a virtual thread per connection. */
final class HelidonPeer {
    private HelidonPeer() {}

    static final Set<WsSession> ALL = ConcurrentHashMap.newKeySet();

    static void start(String workload, int port) {
        var b = WebServer.builder().host("127.0.0.1").port(port).backlog(4096);
        switch (workload) {
            case "http" -> b.routing(HttpRouting.builder().get("/", (req, res) -> {
                res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
                res.send(PeerMain.HELLO);
            }));
            case "ws-echo" -> b.addRouting(WsRouting.builder().endpoint("/", () -> new Echo()));
            case "ws-broadcast" -> b.addRouting(WsRouting.builder().endpoint("/", () -> new Broadcast()));
            default -> throw PeerMain.unsupported("helidon", workload);
        }
        b.build().start();
        PeerMain.ready("helidon", workload, port);
    }

    static final class Echo implements WsListener {
        @Override public void onMessage(WsSession s, BufferData data, boolean last) { s.send(data, last); }
        @Override public void onMessage(WsSession s, String text, boolean last) { s.send(text, last); }
    }

    /** Sends from other connections' threads are serialised per session. */
    static final class Broadcast implements WsListener {
        @Override public void onOpen(WsSession s) { ALL.add(s); }
        @Override public void onClose(WsSession s, int status, String reason) { ALL.remove(s); }
        @Override public void onError(WsSession s, Throwable t) { ALL.remove(s); }
        @Override
        public void onMessage(WsSession s, BufferData data, boolean last) {
            byte[] bytes = data.readBytes();
            for (WsSession w : ALL) {
                try {
                    synchronized (w) { w.send(BufferData.create(bytes), true); }
                } catch (RuntimeException e) {
                    ALL.remove(w);
                }
            }
        }
        @Override
        public void onMessage(WsSession s, String text, boolean last) {
            for (WsSession w : ALL) {
                try {
                    synchronized (w) { w.send(text, true); }
                } catch (RuntimeException e) {
                    ALL.remove(w);
                }
            }
        }
    }
}

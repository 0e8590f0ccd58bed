package dev.gust.bench.peers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;

/** Vert.x 5.0: one event loop, native transport preferred; handlers run on that loop, so no locks. */
final class VertxPeer {
    private VertxPeer() {}

    static void start(String workload, int port) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpServerOptions opts = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                .setAcceptBacklog(4096).setMaxWebSocketFrameSize(16 << 20).setMaxWebSocketMessageSize(16 << 20);
        var server = vertx.createHttpServer(opts);
        Buffer hello = Buffer.buffer(PeerMain.HELLO);
        switch (workload) {
            case "http" -> server.requestHandler(req -> req.response().putHeader("Content-Type", "text/plain").end(hello));
            case "ws-echo" -> server.webSocketHandler(ws -> {
                ws.binaryMessageHandler(ws::writeBinaryMessage);
                ws.textMessageHandler(ws::writeTextMessage);
            });
            case "ws-broadcast" -> {
                List<ServerWebSocket> all = new ArrayList<>();
                server.webSocketHandler(ws -> {
                    all.add(ws);
                    ws.closeHandler(v -> all.remove(ws));
                    ws.binaryMessageHandler(b -> { for (ServerWebSocket w : all) w.writeBinaryMessage(b); });
                    ws.textMessageHandler(t -> { for (ServerWebSocket w : all) w.writeTextMessage(t); });
                });
            }
            default -> throw PeerMain.unsupported("vertx", workload);
        }
        server.listen().await();
        System.out.println("# vertx native transport: " + vertx.isNativeTransportEnabled());
        PeerMain.ready("vertx", workload, port);
        Thread.currentThread().join();
    }
}

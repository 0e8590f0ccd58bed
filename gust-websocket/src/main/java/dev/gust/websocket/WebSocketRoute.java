package dev.gust.websocket;

import dev.gust.http.HttpHandler;
import dev.gust.http.HttpRequest;
import dev.gust.http.HttpResponse;
import dev.gust.websocket.deflate.DeflateParameters;
import dev.gust.websocket.deflate.DeflateSession;
import dev.gust.websocket.deflate.ServerNegotiation;
import dev.gust.websocket.handshake.Handshake;
import dev.gust.websocket.handshake.HandshakeOutcome;
import dev.gust.websocket.handshake.Subprotocols;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket route: validates the handshake (RFC 6455 §4.2.1; 400/426 otherwise), runs the
 * behavior's upgrade decision, writes the 101 and hands the connection to a {@link WebSocketConnection}.
 */
final class WebSocketRoute<U> implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("dev.gust.websocket");
    private static final String[] NO_PARAMS = {};

    final App app;
    final WebSocketBehavior<U> behavior;

    WebSocketRoute(App app, WebSocketBehavior<U> behavior) {
        this.app = app;
        this.behavior = behavior;
    }

    @Override
    public void handle(HttpRequest req, HttpResponse res) throws Exception {
        HandshakeOutcome outcome = Handshake.check(req.methodName(), "HTTP/1." + req.head().versionMinor(),
                req.header("upgrade"), req.header("connection"), req.header("sec-websocket-version"),
                req.header("sec-websocket-key"));
        if (outcome != HandshakeOutcome.ACCEPT) {
            LOG.log(System.Logger.Level.INFO, "refusing WebSocket handshake from {0}: {1}", req.remoteAddress(), outcome.message());
            res.status(outcome.status());
            if (outcome.responseHeader() != null) {
                String h = outcome.responseHeader();
                int colon = h.indexOf(':');
                res.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
            }
            res.header("Content-Type", "text/plain; charset=utf-8").end(outcome.message());
            return;
        }
        String offered = req.header("sec-websocket-protocol");
        UpgradeContext ctx = new UpgradeContext(req.header("sec-websocket-key").strip(), Subprotocols.parse(offered),
                req.header("sec-websocket-extensions"));
        Decision decision = new Decision(req, res, offered);
        if (behavior.upgrade == null) decision.upgrade(null, ctx);
        else behavior.upgrade.upgrade(req, decision, ctx);
        if (!decision.decided && !res.isEnded()) {
            LOG.log(System.Logger.Level.WARNING, "upgrade handler for {0} neither upgraded nor rejected; answering 500", req);
            res.status(500).end("upgrade handler did not decide");
        }
    }

    /** The upgrade handler's answer. */
    private final class Decision implements UpgradeResponse<U> {
        private final HttpRequest req;
        private final HttpResponse res;
        private final String offered;
        boolean decided;

        Decision(HttpRequest req, HttpResponse res, String offered) {
            this.req = req;
            this.res = res;
            this.offered = offered;
        }

        @Override
        public void upgrade(U data, UpgradeContext ctx) {
            upgrade(data, ctx, Subprotocols.selectByServerPreference(offered, behavior.subprotocols));
        }

        @Override
        public void upgrade(U data, UpgradeContext ctx, String subprotocol) {
            if (decided) throw new IllegalStateException("upgrade already decided");
            if (subprotocol != null && !ctx.offeredProtocols.contains(subprotocol)) {
                throw new IllegalArgumentException("subprotocol " + subprotocol + " was not offered by the client");
            }
            decided = true;
            int n = req.paramCount();
            String[] names = n == 0 ? NO_PARAMS : new String[n], values = n == 0 ? NO_PARAMS : new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = req.paramName(i);
                values[i] = req.param(i);
            }
            DeflateSession deflate = negotiateDeflate(ctx.offeredExtensions);
            String extensions = deflate == null ? null : deflate.parameters().toHeaderValue();
            ByteBuffer head = ByteBuffer.allocate(256 + (subprotocol == null ? 0 : subprotocol.length())
                    + (extensions == null ? 0 : extensions.length() + 32));
            Handshake.writeAccept(head, ctx.key, subprotocol, extensions, null);
            head.flip();
            WebSocketConnection<U> ws = new WebSocketConnection<>(WebSocketRoute.this, res.socket(), data, names, values,
                    subprotocol, deflate);
            res.takeOver(head, ws);
            ws.opened();
        }

        @Override
        public void reject(int status, String message) {
            if (decided) throw new IllegalStateException("upgrade already decided");
            decided = true;
            res.status(status).header("Content-Type", "text/plain; charset=utf-8")
                    .end(message == null ? "" : message);
        }

        @Override
        public HttpResponse http() {
            decided = true;
            return res;
        }
    }

    /** permessage-deflate for a new connection, or null when off or no offer can be honoured. */
    private DeflateSession negotiateDeflate(String offers) {
        if (behavior.compression == Compression.OFF || offers == null) return null;
        DeflateParameters p = ServerNegotiation.negotiate(offers, behavior.compression == Compression.SHARED,
                !behavior.dedicatedDecompressor);
        return p == null ? null : new DeflateSession(p, true, behavior.compressionThreshold);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

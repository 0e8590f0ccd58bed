package dev.gust.cli;

import dev.gust.websocket.App;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The demo: a chat with rooms. {@code GET /} serves the page; {@code /chat/:room?name=N} is the
 * WebSocket; each room is a pub/sub topic. Messages are JSON: {@code {"type":"chat","from":..,"text":..}}.
 */
public final class ChatDemo {
    private ChatDemo() {}

    record User(String name) {}

    /** Builds (but does not start) the demo app on one loop. */
    public static App create() {
        return create(1);
    }

    /**
     * Builds (but does not start) the demo app on {@code loops} loop threads; a room's members may
     * sit on different loops, and pub/sub reaches them all.
     */
    public static App create(int loops) {
        return create(loops, dev.gust.websocket.Compression.OFF);
    }

    /**
     * Builds (but does not start) the demo app on {@code loops} loop threads, offering
     * permessage-deflate to browsers as {@code compression} says.
     */
    public static App create(int loops, dev.gust.websocket.Compression compression) {
        byte[] page = loadPage();
        App app = Gust.app(loops);
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        new dev.gust.micrometer.GustMetrics(app).bindTo(registry);
        return app
                .get("/", (req, res) -> res.header("Content-Type", "text/html; charset=utf-8").end(page))
                // Prometheus scrapes on a virtual thread: the scrape hops to the loop for one snapshot.
                .getBlocking("/metrics", (req, res) -> res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(registry.scrape()))
                .get("/health", (req, res) -> res.header("Content-Type", "text/plain").end("ok"))
                .ws("/chat/:room", WebSocketBehavior.<User>builder()
                        .upgrade((req, res, ctx) -> {
                            String name = req.query("name");
                            if (name == null || name.isBlank() || name.length() > 32) res.reject(400, "a name (1-32 characters) is required");
                            else res.upgrade(new User(name.strip()), ctx);
                        })
                        .open(ws -> {
                            String room = ws.param("room");
                            ws.subscribe(room);
                            app.publish(room, system(ws.data().name() + " joined #" + room));
                        })
                        .message((ws, msg) -> {
                            if (!msg.isText() || msg.length() > 4096) return;
                            app.publish(ws.param("room"), json(Map.of("type", "chat", "from", ws.data().name(), "text", msg.text())));
                        })
                        .close((ws, code, reason) -> app.publish(ws.param("room"), system(ws.data().name() + " left")))
                        .idleTimeout(Duration.ofSeconds(120))
                        .maxPayloadLength(64 * 1024)
                        .compression(compression)
                        .build());
    }

    private static String system(String text) {
        return json(Map.of("type", "system", "text", text));
    }

    private static String json(Map<String, String> fields) {
        try {
            return dev.gust.websocket.JsonCodec.simple().encode(new java.util.TreeMap<>(fields));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] loadPage() {
        try (InputStream in = ChatDemo.class.getResourceAsStream("/demo/index.html")) {
            if (in == null) throw new IllegalStateException("demo page missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

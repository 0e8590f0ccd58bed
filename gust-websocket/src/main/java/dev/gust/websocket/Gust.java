package dev.gust.websocket;

import dev.gust.http.HttpServerOptions;

/**
 * Where Gust apps start.
 *
 * <pre>{@code
 * Gust.app()
 *     .get("/", (req, res) -> res.end("Hello, World!"))
 *     .ws("/echo", WebSocketBehavior.builder().message((ws, msg) -> ws.send(msg)).build())
 *     .listen(8080);
 * }</pre>
 */
public final class Gust {
    private Gust() {}

    /** A new HTTP + WebSocket app with default settings. */
    public static App app() {
        return App.create();
    }

    /**
     * A new app with default settings on {@code loops} loop threads sharing one port (see
     * {@link App} "Apps on many loops").
     *
     * @throws IllegalArgumentException when {@code loops < 1}
     */
    public static App app(int loops) {
        return App.create(HttpServerOptions.defaults().withLoops(loops), false);
    }

    /** A new app with the given HTTP settings and, optionally, MQTT-style wildcard topics. */
    public static App app(HttpServerOptions options, boolean wildcardTopics) {
        return App.create(options, wildcardTopics);
    }
}

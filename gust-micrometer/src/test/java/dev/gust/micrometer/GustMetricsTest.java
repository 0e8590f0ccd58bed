package dev.gust.micrometer;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.App;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GustMetricsTest {
    @Test
    void countersReachAPrometheusScrape() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        App app = Gust.app()
                .get("/metrics", (req, res) -> res.header("Content-Type", "text/plain; version=0.0.4").end(registry.scrape()))
                .ws("/echo", WebSocketBehavior.builder().message((ws, m) -> ws.send(m)).build());
        new GustMetrics(app).bindTo(registry);
        app.listen("127.0.0.1", 0);
        try {
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/echo"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("hello", true).join();
            assertEquals("hello", echoed.get(5, TimeUnit.SECONDS));
            String scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scrape.contains("gust_websockets 1.0"), scrape);
            assertTrue(scrape.contains("gust_messages_in_total 1.0"), scrape);
            assertTrue(scrape.contains("gust_bytes_in_total 5.0"), scrape);
            assertTrue(scrape.contains("gust_messages_out_total 1.0"), scrape);
            assertTrue(scrape.matches("(?s).*gust_loop_iterations_total [1-9].*"), scrape);
            assertTrue(scrape.contains("gust_bytes_out_total 5.0"), scrape);
            assertTrue(scrape.contains("gust_publish_fanout 0.0"), scrape);
            for (String c : new String[] {"relayed", "unrelayed", "dropped", "skipped", "received"}) {
                assertTrue(scrape.contains("gust_backplane_" + c + "_total 0.0"), "single node: " + c + "\n" + scrape);
            }
        } finally {
            app.close();
        }
    }

    @Test
    void publishFanOutAndBytesOut() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        App app = Gust.app().ws("/t", WebSocketBehavior.builder().open(ws -> ws.subscribe("t")).build());
        new GustMetrics(app).bindTo(registry);
        app.listen("127.0.0.1", 0);
        try {
            java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            for (int i = 0; i < 4; i++) {
                HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/t"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                got.add(data.toString());
                                w.request(1);
                                return null;
                            }
                        }).get(5, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (app.numSubscribers("t") < 4 && System.nanoTime() < deadline) Thread.sleep(10);
            app.publish("t", "0123456789");
            app.publish("t", "0123456789");
            for (int i = 0; i < 8; i++) assertEquals("0123456789", got.poll(5, TimeUnit.SECONDS));
            String scrape = registry.scrape();
            assertTrue(scrape.contains("gust_publishes_total 2.0"), scrape);
            assertTrue(scrape.contains("gust_deliveries_total 8.0"), scrape);
            assertTrue(scrape.contains("gust_publish_fanout 4.0"), scrape);
            assertTrue(scrape.contains("gust_bytes_out_total 80.0"), scrape);
        } finally {
            app.close();
        }
    }

    @Test
    void countersSumOverEveryLoopOfAnAppOnManyLoops() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        App app = Gust.app(3).ws("/echo", WebSocketBehavior.builder()
                .open(ws -> ws.send(Thread.currentThread().getName()))
                .message((ws, m) -> ws.send(m)).build());
        new GustMetrics(app).bindTo(registry);
        app.listen("127.0.0.1", 0);
        java.util.Set<String> loops = new java.util.HashSet<>();
        java.util.List<WebSocket> clients = new java.util.ArrayList<>();
        try {
            while (loops.size() < 2 && clients.size() < 60) { // until clients sit on at least two loops
                java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/echo"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                got.add(data.toString());
                                w.request(1);
                                return null;
                            }
                        }).get(5, TimeUnit.SECONDS);
                clients.add(ws);
                loops.add(got.poll(5, TimeUnit.SECONDS));
                ws.sendText("hello", true).join();
                assertEquals("hello", got.poll(5, TimeUnit.SECONDS));
            }
            assertTrue(loops.size() >= 2, "clients on several loops: " + loops);
            int n = clients.size();
            String scrape = registry.scrape(); // off the loops: an exact snapshot of every loop
            assertTrue(scrape.contains("gust_websockets " + n + ".0"), scrape);
            assertTrue(scrape.contains("gust_messages_in_total " + n + ".0"), scrape);
            assertTrue(scrape.contains("gust_bytes_in_total " + (5 * n) + ".0"), scrape);
            assertTrue(scrape.contains("gust_messages_out_total " + (2 * n) + ".0"), scrape);
            assertTrue(scrape.matches("(?s).*gust_bytes_out_total [1-9][0-9]*\\.0.*"), scrape);
        } finally {
            app.close();
        }
    }
}

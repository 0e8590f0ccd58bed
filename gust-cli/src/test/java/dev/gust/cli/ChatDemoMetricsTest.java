package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.App;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo's {@code /metrics} serves Prometheus text with every Gust meter, counting real traffic. */
@Timeout(60)
class ChatDemoMetricsTest {

    @Test
    void metricsRouteServesPrometheusTextWithEveryMeter() throws Exception {
        App app = ChatDemo.create(1).listen("127.0.0.1", 0);
        try {
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/chat/lobby?name=ann"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            got.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertTrue(got.poll(10, TimeUnit.SECONDS).contains("ann joined #lobby"));
            ws.sendText("hello", true).join();
            assertTrue(got.poll(10, TimeUnit.SECONDS).contains("\"text\":\"hello\""));

            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    r.headers().toString());
            String text = r.body();
            for (String line : new String[] {
                    "# TYPE gust_connections gauge", "# TYPE gust_websockets gauge", "gust_websockets 1.0",
                    "# TYPE gust_messages_in_total counter", "gust_messages_in_total 1.0",
                    "gust_bytes_in_total 5.0", "# TYPE gust_bytes_out_total counter",
                    "gust_messages_out_total 0.0", "gust_publishes_total 2.0", "gust_deliveries_total 2.0",
                    "# TYPE gust_publish_fanout gauge", "gust_publish_fanout 1.0", "gust_dropped_total 0.0",
                    "# TYPE gust_loop_iterations_total counter", "# TYPE gust_loop_busy_total counter",
                    "# TYPE gust_loop_pass_mean gauge", "# TYPE gust_loop_pass_longest gauge",
                    "gust_backplane_relayed_total 0.0", "gust_backplane_unrelayed_total 0.0",
                    "gust_backplane_dropped_total 0.0", "gust_backplane_skipped_total 0.0",
                    "gust_backplane_received_total 0.0"}) {
                assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
            }
            assertTrue(text.matches("(?s).*\ngust_bytes_out_total [1-9][0-9]*\\.0\n.*"), text);
            assertTrue(text.matches("(?s).*\ngust_loop_iterations_total [1-9][0-9.E]*\n.*"), text);
            ws.abort();
        } finally {
            app.close();
        }
    }
}

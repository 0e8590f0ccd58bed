package dev.gust.micrometer;

import dev.gust.websocket.App;
import dev.gust.websocket.AppStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a Gust app's counters to Micrometer (and from there Prometheus, Datadog, ...).
 *
 * <pre>{@code
 * var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * new GustMetrics(app).bindTo(registry);
 * app.get("/metrics", (req, res) -> res.end(registry.scrape()));
 * }</pre>
 *
 * <p>Meters (Prometheus names in brackets; see docs/operations.md):
 * <ul>
 * <li>gauges {@code gust.connections} [gust_connections], {@code gust.websockets} [gust_websockets],
 *     and {@code gust.publish.fanout} [gust_publish_fanout] (deliveries per publish since the start);</li>
 * <li>counters {@code gust.messages.in}, {@code gust.messages.out}, {@code gust.bytes.in},
 *     {@code gust.bytes.out}, {@code gust.publishes}, {@code gust.deliveries}, {@code gust.dropped},
 *     {@code gust.loop.iterations}, {@code gust.loop.busy} (seconds the loops worked outside
 *     their poll call) [gust_..._total];</li>
 * <li>cluster counters, zero on a single node: {@code gust.backplane.relayed},
 *     {@code gust.backplane.unrelayed}, {@code gust.backplane.dropped}, {@code gust.backplane.skipped},
 *     {@code gust.backplane.received} (see {@link dev.gust.websocket.Backplane.Counters}).</li>
 * </ul>
 * One snapshot of the app is taken per scrape.
 */
public final class GustMetrics implements MeterBinder {
    private final App app;
    private final Tags tags;
    private volatile AppStats cached;
    private volatile long cachedAt;

    public GustMetrics(App app) {
        this(app, Tags.empty());
    }

    public GustMetrics(App app, Tags tags) {
        this.app = app;
        this.tags = tags;
    }

    // Meters hold their state object weakly: the app (reachable while it runs) is the state object, and
    // the functions capture this binder, so it lives as long as the meters do.

    /** One hop to each of the app's loops per scrape (sums over the loops), not one per meter. */
    private AppStats stats() {
        long now = System.nanoTime();
        AppStats s = cached;
        if (s == null || now - cachedAt > TimeUnit.MILLISECONDS.toNanos(100)) {
            s = app.stats();
            cached = s;
            cachedAt = now;
        }
        return s;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "gust.connections", "open connections (HTTP and upgraded)", s -> s.httpConnections());
        gauge(registry, "gust.websockets", "open WebSocket connections", s -> s.webSockets());
        counter(registry, "gust.messages.in", "WebSocket messages received", s -> s.messagesIn());
        counter(registry, "gust.messages.out", "WebSocket messages sent directly", s -> s.messagesOut());
        counter(registry, "gust.bytes.in", "WebSocket payload bytes received", s -> s.bytesIn());
        counter(registry, "gust.publishes", "pub/sub publishes", s -> s.published());
        counter(registry, "gust.deliveries", "messages delivered to subscribers by publishes", s -> s.deliveries());
        counter(registry, "gust.dropped", "messages refused for clients over their backpressure limit", s -> s.dropped());
        counter(registry, "gust.loop.iterations", "event-loop passes", s -> s.loopIterations());
        counter(registry, "gust.loop.busy", "seconds the event loops spent working (callbacks, tasks, timers), not waiting",
                s -> s.loopBusyNanos() / 1e9);
        gauge(registry, "gust.loop.pass.mean", "mean busy seconds of one event-loop pass", s -> s.meanIterationNanos() / 1e9);
        gauge(registry, "gust.loop.pass.longest", "longest single event-loop pass so far, in seconds",
                s -> s.loopLongestIterationNanos() / 1e9);
        counter(registry, "gust.bytes.out", "WebSocket payload bytes sent (direct sends and deliveries)", s -> s.bytesOut());
        gauge(registry, "gust.publish.fanout", "deliveries per publish since the start", AppStats::fanOut);
        counter(registry, "gust.backplane.relayed", "local publishes relayed to other nodes", s -> s.backplane().relayed());
        counter(registry, "gust.backplane.unrelayed", "local publishes that could not reach the backplane (down or failed)",
                s -> s.backplane().unrelayed());
        counter(registry, "gust.backplane.dropped", "local publishes dropped over the backplane's backpressure limit",
                s -> s.backplane().dropped());
        counter(registry, "gust.backplane.skipped", "local publishes not relayed: no other node subscribes to the topic",
                s -> s.backplane().skipped());
        counter(registry, "gust.backplane.received", "messages received from other nodes", s -> s.backplane().received());
    }

    private void gauge(MeterRegistry r, String name, String help, ToDoubleFunction<AppStats> f) {
        Gauge.builder(name, app, a -> f.applyAsDouble(stats())).description(help).tags(tags).register(r);
    }

    private void counter(MeterRegistry r, String name, String help, ToDoubleFunction<AppStats> f) {
        counter(r, name, help, Tags.empty(), f);
    }

    private void counter(MeterRegistry r, String name, String help, Tags extra, ToDoubleFunction<AppStats> f) {
        FunctionCounter.builder(name, app, a -> f.applyAsDouble(stats())).description(help).tags(tags.and(extra)).register(r);
    }
}

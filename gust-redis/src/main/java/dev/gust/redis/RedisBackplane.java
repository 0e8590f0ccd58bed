package dev.gust.redis;

import dev.gust.websocket.Backplane;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster pub/sub over Redis: {@code publish} on one Gust node reaches the subscribers on every
 * node, once per node (each node subscribes once per topic and frames the message once for its own
 * subscribers).
 *
 * <pre>{@code
 * App app = Gust.app()
 *     .ws("/room/:name", behavior)
 *     .backplane(RedisBackplane.connect("redis://127.0.0.1:6379"))
 *     .listen(8080);
 * }</pre>
 *
 * <p>How it works: a topic {@code T} is the Redis channel {@code gust:T}. A node subscribes to a
 * channel only while it has local subscribers to that topic, so only topics with subscribers
 * elsewhere cost Redis traffic on the receiving side. Every local publish is relayed with one
 * {@code PUBLISH} on a single connection, which keeps the order per publisher; the message carries
 * the node's id so a node ignores its own messages (local subscribers were served directly).
 *
 * <p>Faults: Redis down at start fails {@link #connect} with a clear error, unless
 * {@link Options#startDegraded} is set (then it keeps retrying and counts what it cannot relay).
 * Redis restarted mid-run: Lettuce reconnects with backoff and resubscribes; publishes made while
 * it is down are refused at once (not queued without bound) and counted in {@link #unrelayed()}.
 * A slow Redis: at most {@link Options#maxInFlight} publishes wait for an answer; past that they are
 * counted as unrelayed too. Nothing is dropped silently.
 *
 * <p>Why Lettuce: it reconnects and restores pub/sub subscriptions by itself, bounds its request
 * queue, and pipelines asynchronous commands on one connection (order kept) — the three things a
 * backplane needs; Jedis would need all three written by hand.
 */
public final class RedisBackplane implements Backplane {
    private static final System.Logger LOG = System.getLogger("dev.gust.redis");
    private static final String PREFIX = "gust:";
    private static final int ID_LENGTH = 16;

    /**
     * Settings.
     *
     * @param maxInFlight   publishes awaiting Redis's answer before more are refused (and counted)
     * @param startDegraded start even if Redis is down, relaying once it is reachable
     * @param retryDelay    how often a degraded start retries the first connection
     */
    public record Options(int maxInFlight, boolean startDegraded, Duration retryDelay) {
        public static Options defaults() {
            return new Options(10_000, false, Duration.ofSeconds(1));
        }

        public Options withStartDegraded(boolean on) {
            return new Options(maxInFlight, on, retryDelay);
        }

        public Options withMaxInFlight(int n) {
            return new Options(n, startDegraded, retryDelay);
        }
    }

    private final RedisClient client;
    private final Options options;
    private final byte[] nodeId = new byte[ID_LENGTH];
    private final AtomicLong relayed = new AtomicLong(), unrelayed = new AtomicLong(), received = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile StatefulRedisConnection<byte[], byte[]> publisher;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
    private volatile Sink sink;
    private final java.util.Set<String> wanted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RedisBackplane(RedisClient client, Options options) {
        this.client = client;
        this.options = options;
        UUID id = UUID.randomUUID();
        ByteBuffer.wrap(nodeId).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    /** Connects to Redis at {@code uri} (e.g. {@code redis://127.0.0.1:6379}) with default options. */
    public static RedisBackplane connect(String uri) {
        return connect(uri, Options.defaults());
    }

    /**
     * Connects to Redis at {@code uri}.
     *
     * @throws IllegalStateException when Redis cannot be reached and {@code startDegraded} is off
     */
    public static RedisBackplane connect(String uri, Options options) {
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .requestQueueSize(options.maxInFlight())
                // While disconnected, refuse at once (and count) instead of queueing without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        RedisBackplane b = new RedisBackplane(client, options);
        try {
            b.open();
        } catch (RedisConnectionException e) {
            if (!options.startDegraded()) {
                client.shutdown();
                throw new IllegalStateException("cannot reach Redis at " + uri + ": " + rootMessage(e)
                        + " (start Redis, or use Options.withStartDegraded(true) to start without it)", e);
            }
            LOG.log(System.Logger.Level.WARNING, "Redis at {0} unreachable ({1}); starting degraded, retrying every {2}",
                    uri, rootMessage(e), options.retryDelay());
            Thread.ofVirtual().name("gust-redis-connect").start(b::retryOpen);
        }
        return b;
    }

    private void open() {
        StatefulRedisConnection<byte[], byte[]> pub = client.connect(ByteArrayCodec.INSTANCE);
        StatefulRedisPubSubConnection<byte[], byte[]> sub;
        try {
            sub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            pub.close();
            throw e;
        }
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                onMessage(channel, message);
            }
        });
        this.publisher = pub;
        this.subscriber = sub;
        for (String topic : wanted) subscribeRemote(topic);
    }

    private void retryOpen() {
        while (!closed && publisher == null) {
            try {
                Thread.sleep(options.retryDelay());
                open();
                LOG.log(System.Logger.Level.INFO, "Redis reachable again: relaying pub/sub");
            } catch (InterruptedException e) {
                return;
            } catch (RedisConnectionException e) {
                LOG.log(System.Logger.Level.DEBUG, "Redis still unreachable: {0}", rootMessage(e));
            }
        }
    }

    @Override
    public void start(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void subscribed(String topic) {
        wanted.add(topic);
        subscribeRemote(topic);
    }

    private void subscribeRemote(String topic) {
        StatefulRedisPubSubConnection<byte[], byte[]> sub = subscriber;
        if (sub == null) return; // degraded: subscribed on connect
        sub.async().subscribe(channel(topic)).whenComplete((ok, err) -> {
            if (err != null) LOG.log(System.Logger.Level.WARNING, "SUBSCRIBE {0} failed: {1}", topic, err.toString());
        });
    }

    @Override
    public void unsubscribed(String topic) {
        wanted.remove(topic);
        StatefulRedisPubSubConnection<byte[], byte[]> sub = subscriber;
        if (sub != null) sub.async().unsubscribe(channel(topic));
    }

    @Override
    public void publish(String topic, boolean text, ByteBuffer payload) {
        StatefulRedisConnection<byte[], byte[]> pub = publisher;
        if (pub == null || !pub.isOpen() || inFlight.get() >= options.maxInFlight()) {
            unrelayed.incrementAndGet();
            return;
        }
        byte[] envelope = new byte[ID_LENGTH + 1 + payload.remaining()];
        System.arraycopy(nodeId, 0, envelope, 0, ID_LENGTH);
        envelope[ID_LENGTH] = (byte) (text ? 1 : 0);
        payload.get(envelope, ID_LENGTH + 1, payload.remaining());
        inFlight.incrementAndGet();
        try {
            pub.async().publish(channel(topic), envelope).whenComplete((receivers, err) -> {
                inFlight.decrementAndGet();
                if (err != null) {
                    unrelayed.incrementAndGet();
                    LOG.log(System.Logger.Level.DEBUG, "PUBLISH {0} not relayed: {1}", topic, err.toString());
                } else {
                    relayed.incrementAndGet();
                }
            });
        } catch (RuntimeException e) { // rejected while disconnected
            inFlight.decrementAndGet();
            unrelayed.incrementAndGet();
        }
    }

    private void onMessage(byte[] channel, byte[] envelope) {
        if (envelope.length < ID_LENGTH + 1) return;
        if (java.util.Arrays.equals(envelope, 0, ID_LENGTH, nodeId, 0, ID_LENGTH)) return; // our own: served locally
        Sink s = sink;
        if (s == null) return;
        received.incrementAndGet();
        String topic = new String(channel, PREFIX.length(), channel.length - PREFIX.length(), StandardCharsets.UTF_8);
        byte[] payload = java.util.Arrays.copyOfRange(envelope, ID_LENGTH + 1, envelope.length);
        s.deliver(topic, envelope[ID_LENGTH] == 1, payload);
    }

    /** Local publishes relayed to Redis. */
    public long relayed() {
        return relayed.get();
    }

    /** Local publishes that could not be relayed (Redis down, or too many in flight). */
    public long unrelayed() {
        return unrelayed.get();
    }

    /** Messages received from other nodes. */
    public long received() {
        return received.get();
    }

    /** True while both Redis connections are up. */
    public boolean isConnected() {
        var pub = publisher;
        var sub = subscriber;
        return pub != null && pub.isOpen() && sub != null && sub.isOpen();
    }

    @Override
    public void close() {
        closed = true;
        var pub = publisher;
        var sub = subscriber;
        if (sub != null) sub.close();
        if (pub != null) pub.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static byte[] channel(String topic) {
        return (PREFIX + topic).getBytes(StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

package dev.gust.redis;

import dev.gust.websocket.Backplane;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * channel only while it has local subscribers to that topic. A local publish is relayed with one
 * {@code PUBLISH} on a single connection (which keeps the order per publisher) only when another
 * node subscribes to the topic; the message carries the node's id so a node ignores its own
 * messages (local subscribers were served directly).
 *
 * <h2>Which topics cross Redis</h2>
 * Nodes tell each other which topics they subscribe to on the control channel
 * {@value #INTEREST_CHANNEL} (not a topic channel: topics are under {@code gust:}). Each node keeps,
 * per topic, the set of other nodes that subscribe to it, and skips the {@code PUBLISH} (counting it
 * in {@link #skipped()}) when that set is empty:
 * <ul>
 * <li>The first local subscriber of {@code T} makes the node announce "{@code +T}" and wait until
 *     every node listening on the control channel has acknowledged it (the {@code PUBLISH} answer
 *     says how many there are) before it sends {@code SUBSCRIBE gust:T}. So once a node's
 *     subscription has reached Redis, every other node already relays {@code T}: a message published
 *     anywhere after that reaches it — the same promise as relaying every publish. A node that does
 *     not acknowledge within {@link Options#announceTimeout} (gone, or stuck) does not hold the
 *     subscription up for longer; that is logged.</li>
 * <li>The last local subscriber leaving makes the node {@code UNSUBSCRIBE} and announce "{@code -T}".</li>
 * <li>A node that (re)connects to Redis announces all its topics (acknowledged before it subscribes
 *     them) and asks every other node for theirs; until all have answered it relays every publish
 *     ({@link #knowsRemoteInterest()} is false). Losing the subscriber connection makes it relay
 *     everything again until it has re-learnt the others' topics.</li>
 * <li>A node that closes says goodbye; one that dies without it leaves its topics behind at the
 *     others, which keep relaying them (extra traffic, never a lost message) until they reconnect.</li>
 * </ul>
 * Topics are matched by their exact string (wildcard filters do not cross Redis).
 *
 * <h2>Faults</h2>
 * Redis down at start fails {@link #connect} with a clear error, unless
 * {@link Options#startDegraded} is set (then it keeps retrying and counts what it cannot relay).
 * Redis restarted mid-run: Lettuce reconnects with backoff and resubscribes; publishes made while
 * it is down are refused at once (not queued without bound) and counted in {@link #unrelayed()}.
 * A slow Redis: publishes awaiting Redis's answer are bounded like a WebSocket's send buffer — by
 * bytes ({@link Options#maxBackpressure}; one publish is always accepted when none is waiting) and by
 * count ({@link Options#maxInFlight}); past either, publishes are dropped, counted in
 * {@link #dropped()} (which the app adds to its own {@code dropped} counter) and logged (a warning
 * when dropping starts, at most every 10 s, and a line when Redis has caught up). Nothing is
 * dropped silently.
 *
 * <p>Why Lettuce: it reconnects and restores pub/sub subscriptions by itself, bounds its request
 * queue, and pipelines asynchronous commands on one connection (order kept) — the three things a
 * backplane needs; Jedis would need all three written by hand.
 */
public final class RedisBackplane implements Backplane {
    private static final System.Logger LOG = System.getLogger("dev.gust.redis");
    private static final String PREFIX = "gust:";
    /** The control channel on which nodes announce the topics they subscribe to. */
    public static final String INTEREST_CHANNEL = "gust.interest";
    private static final byte[] INTEREST = INTEREST_CHANNEL.getBytes(StandardCharsets.US_ASCII);
    private static final int ID_LENGTH = 16;
    /** Control message: type, sender id, sequence number, body. */
    private static final int CONTROL_HEADER = 1 + ID_LENGTH + 8;
    private static final byte WANT = '+', UNWANT = '-', ASK = '?', STATE = '=', ACK = 'a', BYE = 'x';
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Settings.
     *
     * @param maxInFlight     publishes awaiting Redis's answer before more are dropped (and counted)
     * @param maxBackpressure bytes of publishes awaiting Redis's answer before more are dropped (and
     *                        counted); like {@code WebSocketBehavior.maxBackpressure}, one publish is
     *                        accepted whatever its size when none is waiting
     * @param startDegraded   start even if Redis is down, relaying once it is reachable
     * @param retryDelay      how often a degraded start retries the first connection
     * @param announceTimeout how long a node waits for the others to acknowledge a new topic before it
     *                        subscribes to it anyway
     */
    public record Options(int maxInFlight, long maxBackpressure, boolean startDegraded, Duration retryDelay,
                          Duration announceTimeout) {
        public Options {
            if (maxInFlight <= 0) throw new IllegalArgumentException("maxInFlight must be positive");
            if (maxBackpressure <= 0) throw new IllegalArgumentException("maxBackpressure must be positive");
        }

        /** 10,000 publishes or 8 MiB in flight, Redis required at start, 1 s retry, 2 s announce timeout. */
        public static Options defaults() {
            return new Options(10_000, 8L << 20, false, Duration.ofSeconds(1), Duration.ofSeconds(2));
        }

        public Options withStartDegraded(boolean on) {
            return new Options(maxInFlight, maxBackpressure, on, retryDelay, announceTimeout);
        }

        public Options withMaxInFlight(int n) {
            return new Options(n, maxBackpressure, startDegraded, retryDelay, announceTimeout);
        }

        public Options withMaxBackpressure(long bytes) {
            return new Options(maxInFlight, bytes, startDegraded, retryDelay, announceTimeout);
        }

        public Options withAnnounceTimeout(Duration timeout) {
            return new Options(maxInFlight, maxBackpressure, startDegraded, retryDelay, timeout);
        }
    }

    private final RedisClient client;
    private final Options options;
    private final byte[] nodeId = new byte[ID_LENGTH];
    private final AtomicLong relayed = new AtomicLong(), unrelayed = new AtomicLong(), dropped = new AtomicLong(),
            skipped = new AtomicLong(), received = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong(), inFlightBytes = new AtomicLong();
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile long lastDropLog = System.nanoTime() - LOG_EVERY_NANOS;
    private volatile boolean warned; // this drop episode was logged
    private volatile StatefulRedisConnection<byte[], byte[]> publisher;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
    private volatile Sink sink;
    private volatile boolean closed;
    private final ScheduledExecutorService timer;

    /** Orders this node's announcements and (un)subscriptions, and guards the sync state below. */
    private final Object lock = new Object();
    /** This node's topics, each with the generation of its latest first subscriber. */
    private final Map<String, Long> wanted = new ConcurrentHashMap<>();
    private long generation, sequence;
    /** Other nodes' topics: topic to the (hex) ids of the nodes subscribing to it; no empty sets. */
    private final ConcurrentHashMap<String, Set<String>> remote = new ConcurrentHashMap<>();
    /** True once every other node has told its topics since this node last (re)joined the control channel. */
    private volatile boolean synced;
    private long syncRound;
    private Set<String> answered = new java.util.HashSet<>();
    private long expectedAnswers = -1;
    /** Announcements waiting for acknowledgements, by sequence number. */
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    private RedisBackplane(RedisClient client, Options options) {
        this.client = client;
        this.options = options;
        UUID id = UUID.randomUUID();
        ByteBuffer.wrap(nodeId).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("gust-redis-timer").daemon().factory());
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
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
                // Control messages share the queue with publishes: leave them room.
                .requestQueueSize(options.maxInFlight() + 1024)
                // While disconnected, refuse at once (and count) instead of queueing without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        RedisBackplane b = new RedisBackplane(client, options);
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == b.subscriber) b.synced = false; // announcements may be missed until resynced
            }
        });
        try {
            b.open();
        } catch (RedisConnectionException e) {
            if (!options.startDegraded()) {
                b.timer.shutdownNow();
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
                if (Arrays.equals(channel, INTEREST)) onControl(message);
                else onMessage(channel, message);
            }

            @Override
            public void subscribed(byte[] channel, long count) {
                // First connect and every reconnect (Lettuce resubscribes): learn the others' topics anew.
                if (Arrays.equals(channel, INTEREST)) startSync();
            }
        });
        this.publisher = pub;
        this.subscriber = sub;
        sub.async().subscribe(INTEREST); // topics are subscribed once the others know them (startSync)
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

    // ------------------------------------------------------------------ this node's topics

    @Override
    public void subscribed(String topic) {
        synchronized (lock) {
            long gen = ++generation;
            wanted.put(topic, gen);
            if (publisher == null) return; // degraded: announced and subscribed once connected (startSync)
            announce(WANT, topic.getBytes(StandardCharsets.UTF_8), () -> {
                synchronized (lock) {
                    if (wanted.getOrDefault(topic, -1L) == gen) subscribeRemote(topic);
                }
            });
        }
    }

    @Override
    public void unsubscribed(String topic) {
        synchronized (lock) {
            wanted.remove(topic);
            StatefulRedisPubSubConnection<byte[], byte[]> sub = subscriber;
            if (sub == null) return;
            try {
                sub.async().unsubscribe(channel(topic));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "UNSUBSCRIBE {0} refused: {1}", topic, e.toString());
            }
            sendControl(UNWANT, 0, topic.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Under {@link #lock}. */
    private void subscribeRemote(String topic) {
        StatefulRedisPubSubConnection<byte[], byte[]> sub = subscriber;
        if (sub == null) return;
        try {
            sub.async().subscribe(channel(topic)).whenComplete((ok, err) -> {
                if (err != null) LOG.log(System.Logger.Level.WARNING, "SUBSCRIBE {0} failed: {1}", topic, err.toString());
            });
        } catch (RuntimeException e) { // rejected while disconnected: subscribed again by startSync on reconnect
            LOG.log(System.Logger.Level.DEBUG, "SUBSCRIBE {0} refused: {1}", topic, e.toString());
        }
    }

    // ------------------------------------------------------------------ the control channel

    /**
     * Publishes a control message that every node listening acknowledges, then runs {@code then}
     * once all have (this node's own copy counts for itself), or after the announce timeout. Under
     * {@link #lock}.
     */
    private void announce(byte type, byte[] body, Runnable then) {
        long seq = ++sequence;
        Pending p = new Pending(seq, then);
        pending.put(seq, p);
        try {
            publisher.async().publish(INTEREST, control(type, seq, body)).whenComplete((receivers, err) -> {
                if (err != null) {
                    LOG.log(System.Logger.Level.DEBUG, "announcement not sent: {0}", err.toString());
                    p.receivers(0); // nobody heard it: subscribed again with our state on reconnect
                } else {
                    p.receivers(receivers);
                }
            });
        } catch (RuntimeException e) { // rejected while disconnected
            p.receivers(0);
            return;
        }
        later(p::timeout);
    }

    /** Runs {@code task} after the announce timeout (not once closed). */
    private void later(Runnable task) {
        try {
            timer.schedule(task, options.announceTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: nothing to wait for any more
        }
    }

    private void sendControl(byte type, long seq, byte[] body) {
        StatefulRedisConnection<byte[], byte[]> pub = publisher;
        if (pub == null) return;
        try {
            pub.async().publish(INTEREST, control(type, seq, body));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "control message not sent: {0}", e.toString());
        }
    }

    private byte[] control(byte type, long seq, byte[] body) {
        return ByteBuffer.allocate(CONTROL_HEADER + body.length).put(type).put(nodeId).putLong(seq).put(body).array();
    }

    /** This node's topics as a {@link #STATE} body: count, then length-prefixed UTF-8 strings. */
    private static byte[] encodeTopics(List<String> topics) {
        List<byte[]> encoded = new ArrayList<>(topics.size());
        int size = 4;
        for (String t : topics) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            encoded.add(b);
            size += 4 + b.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).putInt(encoded.size());
        for (byte[] b : encoded) buf.putInt(b.length).put(b);
        return buf.array();
    }

    private static List<String> decodeTopics(ByteBuffer buf) {
        int n = buf.getInt();
        List<String> topics = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[buf.getInt()];
            buf.get(b);
            topics.add(new String(b, StandardCharsets.UTF_8));
        }
        return topics;
    }

    /** Our control-channel subscription is (again) active: tell our topics, then learn everyone else's. */
    private void startSync() {
        synchronized (lock) {
            if (closed) return;
            synced = false;
            remote.clear(); // relaying everything until rebuilt from the answers
            long round = ++syncRound;
            answered = new java.util.HashSet<>();
            expectedAnswers = -1;
            List<String> mine = new ArrayList<>(wanted.keySet());
            announce(STATE, encodeTopics(mine), () -> {
                synchronized (lock) {
                    for (String t : mine) if (wanted.containsKey(t)) subscribeRemote(t);
                }
            });
            try {
                publisher.async().publish(INTEREST, control(ASK, round, new byte[0])).whenComplete((receivers, err) -> {
                    synchronized (lock) {
                        if (round != syncRound) return;
                        if (err != null) {
                            LOG.log(System.Logger.Level.DEBUG, "asking the other nodes failed: {0}", err.toString());
                            return; // retried below
                        }
                        expectedAnswers = receivers - 1; // not ourselves
                        checkSynced();
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "asking the other nodes refused: {0}", e.toString());
            }
            later(() -> {
                boolean retry;
                synchronized (lock) {
                    retry = round == syncRound && !synced && !closed;
                }
                if (retry) {
                    LOG.log(System.Logger.Level.INFO, "not every node told its topics within {0}; relaying every publish and asking again",
                            options.announceTimeout());
                    startSync();
                }
            });
        }
    }

    /** Under {@link #lock}. */
    private void checkSynced() {
        if (!synced && expectedAnswers >= 0 && answered.size() >= expectedAnswers) synced = true;
    }

    private void onControl(byte[] m) {
        if (m.length < CONTROL_HEADER) return;
        ByteBuffer buf = ByteBuffer.wrap(m);
        byte type = buf.get();
        boolean own = Arrays.equals(m, 1, 1 + ID_LENGTH, nodeId, 0, ID_LENGTH);
        String from = HEX.formatHex(m, 1, 1 + ID_LENGTH);
        buf.position(1 + ID_LENGTH);
        long seq = buf.getLong();
        try {
            switch (type) {
                case WANT -> {
                    if (own) {
                        acknowledged(seq);
                        return;
                    }
                    String topic = new String(m, CONTROL_HEADER, m.length - CONTROL_HEADER, StandardCharsets.UTF_8);
                    remote.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(from);
                    sendControl(ACK, seq, Arrays.copyOfRange(m, 1, 1 + ID_LENGTH));
                }
                case UNWANT -> {
                    if (own) return;
                    String topic = new String(m, CONTROL_HEADER, m.length - CONTROL_HEADER, StandardCharsets.UTF_8);
                    forget(topic, from);
                }
                case STATE -> {
                    if (own) {
                        acknowledged(seq);
                        return;
                    }
                    List<String> topics = decodeTopics(buf);
                    synchronized (lock) {
                        for (String t : new ArrayList<>(remote.keySet())) forget(t, from);
                        for (String t : topics) remote.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet()).add(from);
                        answered.add(from);
                        checkSynced();
                    }
                    sendControl(ACK, seq, Arrays.copyOfRange(m, 1, 1 + ID_LENGTH));
                }
                case ASK -> {
                    if (own) return;
                    synchronized (lock) {
                        sendControl(STATE, ++sequence, encodeTopics(new ArrayList<>(wanted.keySet())));
                    }
                }
                case ACK -> {
                    if (m.length >= CONTROL_HEADER + ID_LENGTH
                            && Arrays.equals(m, CONTROL_HEADER, CONTROL_HEADER + ID_LENGTH, nodeId, 0, ID_LENGTH)) {
                        acknowledged(seq);
                    }
                }
                case BYE -> {
                    if (own) return;
                    for (String t : new ArrayList<>(remote.keySet())) forget(t, from);
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "unknown control message type {0}", type);
            }
        } catch (RuntimeException e) { // a malformed message must not break the subscriber connection
            LOG.log(System.Logger.Level.WARNING, "bad control message on " + INTEREST_CHANNEL, e);
        }
    }

    private void forget(String topic, String node) {
        remote.computeIfPresent(topic, (t, nodes) -> {
            nodes.remove(node);
            return nodes.isEmpty() ? null : nodes;
        });
    }

    private void acknowledged(long seq) {
        Pending p = pending.get(seq);
        if (p != null) p.ack();
    }

    /** An announcement waiting for every listening node's acknowledgement before its action runs (once). */
    private final class Pending {
        private final long seq;
        private final Runnable then;
        private long acks, receivers = -1;
        private boolean done;

        Pending(long seq, Runnable then) {
            this.seq = seq;
            this.then = then;
        }

        void ack() {
            boolean run;
            synchronized (this) {
                acks++;
                run = complete();
            }
            if (run) finish();
        }

        void receivers(long n) {
            boolean run;
            synchronized (this) {
                receivers = n;
                run = complete();
            }
            if (run) finish();
        }

        void timeout() {
            long a, r;
            synchronized (this) {
                if (done) return;
                done = true;
                a = acks;
                r = receivers;
            }
            LOG.log(System.Logger.Level.INFO, "only {0} of {1} nodes acknowledged a subscription within {2}; subscribing anyway",
                    a, r < 0 ? "?" : r, options.announceTimeout());
            finish();
        }

        /** Under this monitor: true once, when all have acknowledged. */
        private boolean complete() {
            if (done || receivers < 0 || acks < receivers) return false;
            done = true;
            return true;
        }

        private void finish() { // outside this monitor: the action takes the backplane's lock
            pending.remove(seq);
            then.run();
        }
    }

    // ------------------------------------------------------------------ messages

    @Override
    public void publish(String topic, boolean text, ByteBuffer payload) {
        if (synced && !remote.containsKey(topic)) { // no other node subscribes: nothing to relay
            skipped.incrementAndGet();
            return;
        }
        StatefulRedisConnection<byte[], byte[]> pub = publisher;
        if (pub == null || !pub.isOpen()) {
            unrelayed.incrementAndGet();
            return;
        }
        int size = ID_LENGTH + 1 + payload.remaining();
        long waiting = inFlightBytes.get();
        if (inFlight.get() >= options.maxInFlight() || (waiting > 0 && waiting + size > options.maxBackpressure())) {
            drop(waiting);
            return;
        }
        if (dropping.get() && dropping.compareAndSet(true, false) && warned) {
            warned = false;
            LOG.log(System.Logger.Level.INFO, "Redis caught up: relaying publishes to other nodes again ({0} dropped so far)",
                    dropped.get());
        }
        byte[] envelope = new byte[size];
        System.arraycopy(nodeId, 0, envelope, 0, ID_LENGTH);
        envelope[ID_LENGTH] = (byte) (text ? 1 : 0);
        payload.get(envelope, ID_LENGTH + 1, payload.remaining());
        inFlight.incrementAndGet();
        inFlightBytes.addAndGet(size);
        try {
            pub.async().publish(channel(topic), envelope).whenComplete((receivers, err) -> {
                inFlight.decrementAndGet();
                inFlightBytes.addAndGet(-size);
                if (err != null) {
                    unrelayed.incrementAndGet();
                    LOG.log(System.Logger.Level.DEBUG, "PUBLISH {0} not relayed: {1}", topic, err.toString());
                } else {
                    relayed.incrementAndGet();
                }
            });
        } catch (RuntimeException e) { // rejected while disconnected
            inFlight.decrementAndGet();
            inFlightBytes.addAndGet(-size);
            unrelayed.incrementAndGet();
        }
    }

    /**
     * Counts a drop; the first drop of an episode logs a warning (at most one per 10 s, so a Redis
     * that keeps falling behind does not flood the log), and the end of a warned episode logs a line.
     */
    private void drop(long waitingBytes) {
        long n = dropped.incrementAndGet();
        if (!dropping.compareAndSet(false, true)) return;
        long now = System.nanoTime();
        if (now - lastDropLog < LOG_EVERY_NANOS) return;
        lastDropLog = now;
        warned = true;
        LOG.log(System.Logger.Level.WARNING, "Redis is not keeping up: " + waitingBytes + " bytes in " + inFlight.get()
                + " publishes await its answer (limits: " + options.maxBackpressure() + " bytes, " + options.maxInFlight()
                + " publishes); dropping publishes to other nodes until it catches up ({0} dropped so far, counted in dropped)", n);
    }

    private void onMessage(byte[] channel, byte[] envelope) {
        if (envelope.length < ID_LENGTH + 1) return;
        if (Arrays.equals(envelope, 0, ID_LENGTH, nodeId, 0, ID_LENGTH)) return; // our own: served locally
        Sink s = sink;
        if (s == null) return;
        received.incrementAndGet();
        String topic = new String(channel, PREFIX.length(), channel.length - PREFIX.length(), StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(envelope, ID_LENGTH + 1, envelope.length);
        s.deliver(topic, envelope[ID_LENGTH] == 1, payload);
    }

    // ------------------------------------------------------------------ counters and state

    /** Local publishes relayed to Redis (acknowledged by it). */
    public long relayed() {
        return relayed.get();
    }

    /** Local publishes that could not be relayed: Redis unreachable, or the command refused or failed. */
    public long unrelayed() {
        return unrelayed.get();
    }

    /** Local publishes dropped because too many bytes or publishes were awaiting Redis (a slow Redis). */
    public long dropped() {
        return dropped.get();
    }

    /** Local publishes not relayed because no other node subscribes to the topic. */
    public long skipped() {
        return skipped.get();
    }

    /** Messages received from other nodes. */
    public long received() {
        return received.get();
    }

    @Override
    public Counters counters() {
        return new Counters(relayed.get(), unrelayed.get(), dropped.get(), skipped.get(), received.get());
    }

    /**
     * True once this node knows which topics every other node subscribes to (and so skips publishes
     * nobody else wants); false while it (re)connects and asks them.
     */
    public boolean knowsRemoteInterest() {
        return synced;
    }

    /** Whether another node is known to subscribe to {@code topic} (for tests). */
    boolean othersSubscribe(String topic) {
        return remote.containsKey(topic);
    }

    /** True while both Redis connections are up. */
    public boolean isConnected() {
        var pub = publisher;
        var sub = subscriber;
        return pub != null && pub.isOpen() && sub != null && sub.isOpen();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
        }
        var pub = publisher;
        var sub = subscriber;
        if (pub != null && pub.isOpen()) { // tell the others to stop relaying our topics
            try {
                pub.async().publish(INTEREST, control(BYE, 0, new byte[0])).get(500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "goodbye not sent: {0}", e.toString());
            }
        }
        timer.shutdownNow();
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

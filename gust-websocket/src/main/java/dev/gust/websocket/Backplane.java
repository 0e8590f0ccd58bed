package dev.gust.websocket;

import java.nio.ByteBuffer;

/**
 * Carries pub/sub between the nodes of a cluster, so that {@code publish} on one node reaches the
 * subscribers on every node. The single-node default needs none. Attach one with
 * {@link App#backplane(Backplane)} before {@code listen}; see the {@code gust-redis} module.
 *
 * <p>The app tells the backplane which topics have local subscribers ({@link #subscribed} on the first,
 * {@link #unsubscribed} when the last leaves) so that only those topics are received from other nodes,
 * and hands it every local publish to relay. Messages from other nodes come back through the
 * {@link Sink} and are delivered locally only (never relayed again).
 */
public interface Backplane extends AutoCloseable {
    /** Receives messages published on other nodes; callable from any thread. */
    interface Sink {
        void deliver(String topic, boolean text, byte[] payload);
    }

    /**
     * What a backplane counts, for {@link App#stats()} (and from there JFR and metrics). All are
     * totals since the backplane started.
     *
     * @param relayed   local publishes handed to the other nodes
     * @param unrelayed local publishes that could not be handed on (the backplane's server was
     *                  unreachable, or refused or failed the command)
     * @param dropped   local publishes refused because the backplane was over its backpressure
     *                  limit (its server too slow); also counted in {@link AppStats#dropped()}
     * @param skipped   local publishes not handed on because no other node subscribes to the topic
     * @param received  messages received from other nodes
     */
    record Counters(long relayed, long unrelayed, long dropped, long skipped, long received) {
        /** All zero: a single node, or a backplane that counts nothing. */
        public static final Counters NONE = new Counters(0, 0, 0, 0, 0);
    }

    /** This backplane's counters; any thread. */
    default Counters counters() {
        return Counters.NONE;
    }

    /** Starts relaying; messages from other nodes go to {@code sink}. Called once, by {@link App#listen}. */
    void start(Sink sink);

    /** The first local subscriber of {@code topic} appeared (loop thread; must not block). */
    void subscribed(String topic);

    /** The last local subscriber of {@code topic} left (loop thread; must not block). */
    void unsubscribed(String topic);

    /**
     * Relays a local publish to the other nodes (loop thread; must not block: queue it, bounded, and
     * count what cannot be relayed). {@code payload} is valid only during the call.
     */
    void publish(String topic, boolean text, ByteBuffer payload);

    @Override
    void close();
}

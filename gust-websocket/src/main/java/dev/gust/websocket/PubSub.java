package dev.gust.websocket;

import dev.gust.websocket.frame.FrameWriter;
import dev.gust.websocket.pubsub.TopicRegistry;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Pub/sub of one loop: the topic registry, and publishing that frames a message once and writes the
 * same bytes to every subscriber. Also the loop's scratch buffer for frame headers. Loop thread only.
 */
final class PubSub {
    /** Non-capturing, so publishing allocates no lambda. */
    private static final BiConsumer<WebSocketConnection<?>, Publication> DELIVER = WebSocketConnection::deliverPublished;

    final TopicRegistry<WebSocketConnection<?>> topics;
    final ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_LENGTH);
    long published, deliveries, dropped;
    long webSockets, messagesIn, messagesOut, bytesIn; // app counters, kept here because this is the loop's state
    Backplane backplane; // null on a single node
    private final Publication reusable = new Publication(16 * 1024);
    private int publishDepth;
    /** The received-message view handed to callbacks: one per loop, valid during a callback only. */
    final WebSocketMessage message = new WebSocketMessage();

    PubSub(boolean wildcards) {
        this.topics = wildcards ? TopicRegistry.withWildcards() : TopicRegistry.exactTopics();
    }

    boolean subscribe(WebSocketConnection<?> conn, String topic) {
        boolean added = topics.subscribe(conn, topic);
        if (added && backplane != null && topics.numSubscribers(topic) == 1) backplane.subscribed(topic);
        return added;
    }

    boolean unsubscribe(WebSocketConnection<?> conn, String topic) {
        boolean removed = topics.unsubscribe(conn, topic);
        if (removed && backplane != null && topics.numSubscribers(topic) == 0) backplane.unsubscribed(topic);
        return removed;
    }

    void unsubscribeAll(WebSocketConnection<?> conn) {
        if (backplane == null) {
            topics.unsubscribeAll(conn);
            return;
        }
        for (String topic : topics.topicsOf(conn)) unsubscribe(conn, topic);
    }

    /** A local publish: delivered here and relayed to the other nodes, if any. */
    int publish(String topic, dev.gust.websocket.OpCode op, ByteBuffer payload, WebSocketConnection<?> exclude) {
        if (backplane != null) backplane.publish(topic, op == dev.gust.websocket.OpCode.TEXT, payload.duplicate());
        return deliver(topic, op, payload, exclude);
    }

    /**
     * Frames {@code payload} once (and compresses it at most once for the subscribers without
     * context takeover; see {@link Compression}) and delivers it to the subscribers of {@code topic} except
     * {@code exclude} (may be null). Returns the deliveries made.
     */
    int deliver(String topic, dev.gust.websocket.OpCode op, ByteBuffer payload, WebSocketConnection<?> exclude) {
        published++;
        if (topics.numTopics() == 0) return 0;
        // The reusable publication serves top-level publishes; a publish from inside a delivery
        // callback (the "dropped" callback may publish) must not overwrite the frame being delivered.
        Publication publication = publishDepth == 0 ? reusable.reset(op, payload) : new Publication(op, payload);
        long droppedBefore = dropped;
        int n;
        publishDepth++;
        try {
            n = topics.publish(topic, publication, exclude, DELIVER);
        } finally {
            publishDepth--;
        }
        int delivered = n - (int) (dropped - droppedBefore);
        deliveries += delivered;
        return delivered;
    }
}

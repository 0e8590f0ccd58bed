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

    PubSub(boolean wildcards) {
        this.topics = wildcards ? TopicRegistry.withWildcards() : TopicRegistry.exactTopics();
    }

    /**
     * Frames {@code payload} once (and compresses it at most once for the subscribers without
     * context takeover; see {@link Compression}) and delivers it to the subscribers of {@code topic} except
     * {@code exclude} (may be null). Returns the deliveries made.
     */
    int publish(String topic, dev.gust.websocket.OpCode op, ByteBuffer payload, WebSocketConnection<?> exclude) {
        published++;
        if (topics.numTopics() == 0) return 0;
        Publication publication = new Publication(op, payload);
        long droppedBefore = dropped;
        int n = topics.publish(topic, publication, exclude, DELIVER);
        int delivered = n - (int) (dropped - droppedBefore);
        deliveries += delivered;
        return delivered;
    }
}

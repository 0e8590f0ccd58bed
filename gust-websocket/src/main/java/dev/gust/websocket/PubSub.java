package dev.gust.websocket;

import dev.gust.loop.Loop;
import dev.gust.websocket.frame.FrameWriter;
import dev.gust.websocket.pubsub.TopicRegistry;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Pub/sub of one loop: the topic registry, and publishing that frames a message once and writes the
 * same bytes to every subscriber. Also the loop's scratch buffer for frame headers and its counters.
 * Loop thread only, unless noted.
 *
 * <p>On an app with many loops, every loop has one of these; a publish is delivered here at once and
 * handed as ONE shared copy of the payload to each other loop with subscribers (through its FIFO
 * defer queue, so the order per publisher holds), which frames it once for its own subscribers.
 */
final class PubSub {
    /** Non-capturing, so publishing allocates no lambda. */
    private static final BiConsumer<WebSocketConnection<?>, Publication> DELIVER = WebSocketConnection::deliverPublished;

    final Loop loop;
    final int index; // in the app's loops
    final TopicRegistry<WebSocketConnection<?>> topics;
    final ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_LENGTH);
    long published, deliveries, dropped;
    long webSockets, messagesIn, messagesOut, bytesIn, bytesOut; // app counters, kept here because this is the loop's state
    Backplane backplane; // null on a single node
    /** Set on apps with many loops: the shared view of subscriptions, and every loop's PubSub. */
    private AppTopics appTopics;
    private PubSub[] all;
    private final Publication reusable = new Publication(16 * 1024);
    private int publishDepth;
    /** The received-message view handed to callbacks: one per loop, valid during a callback only. */
    final WebSocketMessage message = new WebSocketMessage();

    PubSub(Loop loop, int index, boolean wildcards) {
        this.loop = loop;
        this.index = index;
        this.topics = wildcards ? TopicRegistry.withWildcards() : TopicRegistry.exactTopics();
    }

    /** Joins the loops of an app with many loops (before listening). */
    void joinLoops(AppTopics shared, PubSub[] everyLoop) {
        this.appTopics = shared;
        this.all = everyLoop;
    }

    boolean subscribe(WebSocketConnection<?> conn, String topic) {
        boolean added = topics.subscribe(conn, topic);
        if (!added) return false;
        boolean first = topics.numSubscribers(topic) == 1;
        if (appTopics != null) appTopics.subscribed(topic, index, first); // tells the backplane for the node
        else if (backplane != null && first) backplane.subscribed(topic);
        return true;
    }

    boolean unsubscribe(WebSocketConnection<?> conn, String topic) {
        boolean removed = topics.unsubscribe(conn, topic);
        if (!removed) return false;
        boolean last = topics.numSubscribers(topic) == 0;
        if (appTopics != null) appTopics.unsubscribed(topic, index, last);
        else if (backplane != null && last) backplane.unsubscribed(topic);
        return true;
    }

    void unsubscribeAll(WebSocketConnection<?> conn) {
        if (backplane == null && appTopics == null) {
            topics.unsubscribeAll(conn);
            return;
        }
        for (String topic : topics.topicsOf(conn)) unsubscribe(conn, topic);
    }

    /**
     * A publish made on this loop: delivered here now, handed to the other loops and relayed to
     * the other nodes, if any. Returns the deliveries made on this loop.
     */
    int publish(String topic, OpCode op, ByteBuffer payload, WebSocketConnection<?> exclude) {
        published++;
        if (backplane != null) backplane.publish(topic, op == OpCode.TEXT, payload.duplicate());
        if (all != null) handToOtherLoops(topic, op, payload);
        return deliver(topic, op, payload, exclude);
    }

    /** One copy of the payload for all other interested loops; each frames it for its own subscribers. */
    private void handToOtherLoops(String topic, OpCode op, ByteBuffer payload) {
        long targets = appTopics.otherLoopsFor(topic, index);
        if (targets == 0) return;
        byte[] copy = new byte[payload.remaining()];
        payload.get(payload.position(), copy);
        for (PubSub other : all) {
            if (other == this || (targets != -1L && (targets & (1L << other.index)) == 0)) continue;
            try {
                other.loop.defer(() -> other.deliver(topic, op, ByteBuffer.wrap(copy), null));
            } catch (RejectedExecutionException closed) {
                // that loop is shutting down: its subscribers are being closed anyway
            }
        }
    }

    /** A message from another node: delivered on this loop only (each loop gets its own call). */
    void deliverFromNode(String topic, OpCode op, ByteBuffer payload, boolean countAsPublish) {
        if (countAsPublish) published++;
        deliver(topic, op, payload, null);
    }

    /**
     * Frames {@code payload} once (and compresses it at most once for the subscribers without
     * context takeover; see {@link Compression}) and delivers it to the subscribers of {@code topic} except
     * {@code exclude} (may be null). Returns the deliveries made.
     */
    int deliver(String topic, OpCode op, ByteBuffer payload, WebSocketConnection<?> exclude) {
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

    /** This loop's counters, in {@link AppStats} order after the connection count. */
    long[] counters() {
        return new long[] {webSockets, messagesIn, messagesOut, bytesIn, bytesOut, published, deliveries, dropped,
                loop.iteration(), loop.busyNanos(), loop.longestIterationNanos()};
    }
}

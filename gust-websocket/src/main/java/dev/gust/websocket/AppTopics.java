package dev.gust.websocket;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Who subscribes to what over all loops of an app on many loops: per topic (or filter) string, the
 * number of subscribers and which loops have any. Each loop keeps its own registry for delivery;
 * this shared view only changes on subscribe and unsubscribe (never per message) and answers three
 * questions from any thread: {@link App#numSubscribers}, which loops a publish must reach, and
 * when the node as a whole starts or stops wanting a topic from the {@link Backplane}.
 *
 * <p>The backplane is told inside the map's per-key update, so SUBSCRIBE and UNSUBSCRIBE for one
 * topic reach it in the order the node's interest changed, whichever loops changed it.
 */
final class AppTopics {
    private static final System.Logger LOG = System.getLogger("dev.gust.websocket");
    /** Loop masks are a {@code long}; bigger groups skip the per-loop filter and reach every loop. */
    static final int MAX_FILTERED_LOOPS = 64;

    private static final class Interest {
        int subscribers;        // guarded by the map's per-key lock
        int loops;              // loops with subscribers; guarded likewise
        volatile long loopMask; // bit i: loop i has subscribers (read by publishers without the lock)
    }

    private final ConcurrentHashMap<String, Interest> topics = new ConcurrentHashMap<>();
    private final boolean filterByLoop;
    volatile Backplane backplane; // null on a single node

    /**
     * @param loops          the app's loop count
     * @param wildcardTopics with MQTT-style filters a topic may match subscriptions made under another
     *                       string, so publishes reach every loop instead of only the interested ones
     */
    AppTopics(int loops, boolean wildcardTopics) {
        this.filterByLoop = !wildcardTopics && loops <= MAX_FILTERED_LOOPS;
    }

    /** One more subscriber of {@code topic} on loop {@code loopIndex} ({@code firstOnLoop}: the loop had none). */
    void subscribed(String topic, int loopIndex, boolean firstOnLoop) {
        topics.compute(topic, (t, interest) -> {
            if (interest == null) interest = new Interest();
            interest.subscribers++;
            if (firstOnLoop) {
                interest.loopMask |= bit(loopIndex);
                Backplane b = backplane;
                if (interest.loops++ == 0 && b != null) tell(() -> b.subscribed(t), t);
            }
            return interest;
        });
    }

    /** One subscriber fewer ({@code lastOnLoop}: the loop has none left). */
    void unsubscribed(String topic, int loopIndex, boolean lastOnLoop) {
        topics.computeIfPresent(topic, (t, interest) -> {
            interest.subscribers--;
            if (lastOnLoop) {
                interest.loopMask &= ~bit(loopIndex);
                Backplane b = backplane;
                if (--interest.loops == 0 && b != null) tell(() -> b.unsubscribed(t), t);
            }
            return interest.subscribers == 0 && interest.loops == 0 ? null : interest;
        });
    }

    /** Subscribers of exactly this topic string on all loops. Any thread. */
    int numSubscribers(String topic) {
        Interest interest = topics.get(topic);
        return interest == null ? 0 : Math.max(0, interest.subscribers);
    }

    /**
     * The loops other than {@code loopIndex} that a publish to {@code topic} must reach, as a mask
     * ({@code -1}: all of them, when not filtering). Any thread.
     */
    long otherLoopsFor(String topic, int loopIndex) {
        if (!filterByLoop) return -1L;
        Interest interest = topics.get(topic);
        return interest == null ? 0 : interest.loopMask & ~bit(loopIndex);
    }

    /** A failing backplane must not leave the counts half-updated (the map drops a throwing update). */
    private static void tell(Runnable backplaneCall, String topic) {
        try {
            backplaneCall.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "backplane refused a subscription change for topic " + topic, e);
        }
    }

    private static long bit(int loopIndex) {
        return loopIndex < MAX_FILTERED_LOOPS ? 1L << loopIndex : 0;
    }
}

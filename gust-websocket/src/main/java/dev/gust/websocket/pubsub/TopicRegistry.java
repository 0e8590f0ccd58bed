package dev.gust.websocket.pubsub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Topic subscriptions of one event loop: who gets a published message. Single-threaded by design
 * (no locks): every call must come from the owning loop thread.
 *
 * <p>Publishing to an exact topic is a hash lookup and an array walk. With {@linkplain
 * #withWildcards() wildcards} enabled, subscriptions may also be MQTT-style filters ({@code +} one
 * level, {@code #} the rest, levels separated by {@code /}); a subscriber matched by several of
 * them receives each message once. Subscribers are compared by identity. Each subscriber's topics
 * are tracked, so {@link #unsubscribeAll} (on socket close) costs O(its topics).
 *
 * <p>Delivery is a callback, so the server decides how to send (cork, batch, count
 * backpressure). The callback may subscribe, unsubscribe, close, or publish again: anyone
 * unsubscribed before their turn is skipped, anyone subscribed during a publish gets the next
 * message, not this one, and nobody is skipped or served twice.
 *
 * <pre>{@code
 * TopicRegistry<WebSocket> topics = TopicRegistry.withWildcards();
 * topics.subscribe(ws, "chat/lobby");
 * topics.subscribe(admin, "chat/#");
 * PreparedMessage msg = PreparedMessage.text("hello");            // framed once
 * int sent = topics.publish("chat/lobby", msg, ws, (s, m) -> s.sendPrepared(m));  // not to ws
 * topics.unsubscribeAll(ws);                                     // on close
 * }</pre>
 *
 * @param <S> the subscriber type, typically the per-connection WebSocket object
 */
public final class TopicRegistry<S> {
    private final boolean wildcards;
    private final HashMap<String, Target<S>> exact = new HashMap<>();
    private final PatternTrie<S> filters = new PatternTrie<>();
    private final IdentityHashMap<S, Subscriber<S>> subscribers = new IdentityHashMap<>();

    // Stacks shared by nested publishes (a delivery callback may publish): each publish uses the
    // slots above the ones its caller uses and clears them when done.
    @SuppressWarnings("unchecked")
    private Target<S>[] matches = (Target<S>[]) new Target<?>[8];
    private int matchTop;
    @SuppressWarnings("unchecked")
    private Subscription<S>[] recipients = (Subscription<S>[]) new Subscription<?>[16];
    private int recipientTop;
    private long collectId;

    private TopicRegistry(boolean wildcards) {
        this.wildcards = wildcards;
    }

    /** A registry of exact topics only: any string is a plain topic name. */
    public static <S> TopicRegistry<S> exactTopics() {
        return new TopicRegistry<>(false);
    }

    /**
     * A registry where subscriptions containing {@code +} or {@code #} levels are filters, and
     * publishing to a topic containing them is refused.
     */
    public static <S> TopicRegistry<S> withWildcards() {
        return new TopicRegistry<>(true);
    }

    /**
     * Subscribes {@code subscriber} to a topic (or filter).
     *
     * @return false if it was already subscribed
     * @throws IllegalArgumentException for a malformed filter (wildcards enabled)
     */
    public boolean subscribe(S subscriber, String topic) {
        Objects.requireNonNull(subscriber, "subscriber");
        Target<S> target = isFilter(topic) ? filters.targetOf(topic) : exact.computeIfAbsent(topic, t -> new Target<>(t, null));
        Subscriber<S> owner = subscribers.computeIfAbsent(subscriber, Subscriber::new);
        if (owner.find(target) != null) {
            return false;
        }
        var subscription = new Subscription<>(owner, target);
        target.add(subscription);
        owner.add(subscription);
        return true;
    }

    /** Unsubscribes from one topic (or filter); returns false if it was not subscribed. */
    public boolean unsubscribe(S subscriber, String topic) {
        Subscriber<S> owner = subscribers.get(subscriber);
        Target<S> target = owner == null ? null : find(topic);
        Subscription<S> subscription = target == null ? null : owner.find(target);
        if (subscription == null) {
            return false;
        }
        owner.remove(subscription);
        detach(subscription);
        if (owner.size() == 0) {
            subscribers.remove(subscriber);
        }
        return true;
    }

    /** Unsubscribes from everything, for example when the socket closes; returns how many topics. */
    public int unsubscribeAll(S subscriber) {
        Subscriber<S> owner = subscribers.remove(subscriber);
        if (owner == null) {
            return 0;
        }
        int count = owner.size();
        for (int i = count - 1; i >= 0; i--) {
            Subscription<S> subscription = owner.get(i);
            owner.remove(subscription);
            detach(subscription);
        }
        return count;
    }

    /** Whether {@code subscriber} is subscribed to exactly this topic (or filter) string. */
    public boolean isSubscribed(S subscriber, String topic) {
        Subscriber<S> owner = subscribers.get(subscriber);
        Target<S> target = owner == null ? null : find(topic);
        return target != null && owner.find(target) != null;
    }

    /** The topics and filters {@code subscriber} holds, as a new list in no particular order. */
    public List<String> topicsOf(S subscriber) {
        Subscriber<S> owner = subscribers.get(subscriber);
        if (owner == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(owner.size());
        for (int i = 0; i < owner.size(); i++) {
            names.add(owner.get(i).target.name);
        }
        return names;
    }

    /**
     * Subscribers of exactly this topic (or filter) string; subscribers that only match through
     * a wildcard filter are not counted.
     */
    public int numSubscribers(String topic) {
        Target<S> target = find(topic);
        return target == null ? 0 : target.live;
    }

    /** Distinct topics and filters with at least one subscriber. */
    public int numTopics() {
        return exact.size() + filters.size();
    }

    /** Subscribers holding at least one subscription. */
    public int numSubscribersTotal() {
        return subscribers.size();
    }

    /**
     * Delivers {@code message} to every subscriber of {@code topic} (and of every matching filter)
     * except {@code exclude} (may be null), once each, by calling {@code delivery}. An exception
     * from {@code delivery} propagates and the remaining subscribers are not served; the registry
     * stays consistent.
     *
     * @return the number of deliveries made
     * @throws IllegalArgumentException if wildcards are enabled and {@code topic} contains a wildcard
     */
    public <M> int publish(String topic, M message, S exclude, BiConsumer<? super S, ? super M> delivery) {
        if (wildcards && (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0)) {
            throw new IllegalArgumentException("cannot publish to a wildcard topic: " + topic);
        }
        Target<S> target = exact.get(topic);
        if (filters.size() == 0) {
            return target == null ? 0 : deliverToOne(target, message, exclude, delivery);
        }
        int base = matchTop;
        try {
            if (target != null) {
                pushMatch(target);
            }
            filters.collectMatches(topic, this);
            int found = matchTop - base;
            if (found == 0) {
                return 0;
            }
            if (found == 1) {
                return deliverToOne(matches[base], message, exclude, delivery);
            }
            return deliverToMany(base, matchTop, message, exclude, delivery);
        } finally {
            Arrays.fill(matches, base, matchTop, null);
            matchTop = base;
        }
    }

    /** Called by the filter trie for each match. */
    void pushMatch(Target<S> target) {
        if (matchTop == matches.length) {
            matches = Arrays.copyOf(matches, matchTop * 2);
        }
        matches[matchTop++] = target;
    }

    /** The common case: iterate one target in place, pinned so removals leave tombstones. */
    private <M> int deliverToOne(Target<S> target, M message, S exclude, BiConsumer<? super S, ? super M> delivery) {
        target.pin();
        int delivered = 0;
        try {
            int end = target.size; // subscribed during this publish: next message, not this one
            for (int i = 0; i < end; i++) {
                Subscription<S> s = target.subscriptions[i]; // re-read: a callback may grow the array
                if (!s.removed && s.owner.value != exclude) {
                    delivery.accept(s.owner.value, message);
                    delivered++;
                }
            }
        } finally {
            if (target.unpin()) {
                dropTarget(target);
            }
        }
        return delivered;
    }

    /**
     * Several targets matched: first collect each subscriber once (no callback runs while
     * collecting, so a per-subscriber stamp deduplicates), then deliver to those still subscribed.
     */
    private <M> int deliverToMany(int from, int to, M message, S exclude, BiConsumer<? super S, ? super M> delivery) {
        long id = ++collectId;
        int base = recipientTop;
        try {
            for (int t = from; t < to; t++) {
                Target<S> target = matches[t];
                for (int i = 0; i < target.size; i++) {
                    Subscription<S> s = target.subscriptions[i];
                    if (!s.removed && s.owner.collectedBy != id && s.owner.value != exclude) {
                        s.owner.collectedBy = id;
                        pushRecipient(s);
                    }
                }
            }
            int end = recipientTop;
            int delivered = 0;
            for (int i = base; i < end; i++) {
                Subscription<S> s = recipients[i];
                if (!s.removed) {
                    delivery.accept(s.owner.value, message);
                    delivered++;
                }
            }
            return delivered;
        } finally {
            Arrays.fill(recipients, base, recipientTop, null);
            recipientTop = base;
        }
    }

    private void pushRecipient(Subscription<S> s) {
        if (recipientTop == recipients.length) {
            recipients = Arrays.copyOf(recipients, recipientTop * 2);
        }
        recipients[recipientTop++] = s;
    }

    private boolean isFilter(String topic) {
        return wildcards && PatternTrie.isFilter(topic);
    }

    private Target<S> find(String topic) {
        return isFilter(topic) ? filters.find(topic) : exact.get(topic);
    }

    private void detach(Subscription<S> subscription) {
        Target<S> target = subscription.target;
        target.remove(subscription);
        if (target.isDroppable()) {
            dropTarget(target);
        }
    }

    private void dropTarget(Target<S> target) {
        if (target.node != null) {
            filters.drop(target);
        } else {
            exact.remove(target.name, target);
        }
    }
}

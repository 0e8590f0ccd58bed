package dev.gust.websocket.pubsub;

import java.util.Arrays;
import java.util.IdentityHashMap;

/** A subscriber's subscriptions, so closing it unsubscribes in O(its topics). */
final class Subscriber<S> {
    // Most sockets hold a handful of topics: scan an array; index by target only when many.
    private static final int INDEX_THRESHOLD = 8;

    final S value;
    /** Id of the last multi-target publish that collected this subscriber (deduplication). */
    long collectedBy;
    private Subscription<S>[] subscriptions;
    private int size;
    private IdentityHashMap<Target<S>, Subscription<S>> byTarget;

    @SuppressWarnings("unchecked")
    Subscriber(S value) {
        this.value = value;
        this.subscriptions = (Subscription<S>[]) new Subscription<?>[2];
    }

    int size() {
        return size;
    }

    Subscription<S> get(int i) {
        return subscriptions[i];
    }

    Subscription<S> find(Target<S> target) {
        if (byTarget != null) {
            return byTarget.get(target);
        }
        for (int i = 0; i < size; i++) {
            if (subscriptions[i].target == target) {
                return subscriptions[i];
            }
        }
        return null;
    }

    void add(Subscription<S> s) {
        if (size == subscriptions.length) {
            subscriptions = Arrays.copyOf(subscriptions, size * 2);
        }
        s.indexInOwner = size;
        subscriptions[size++] = s;
        if (byTarget != null) {
            byTarget.put(s.target, s);
        } else if (size > INDEX_THRESHOLD) {
            byTarget = new IdentityHashMap<>();
            for (int i = 0; i < size; i++) {
                byTarget.put(subscriptions[i].target, subscriptions[i]);
            }
        }
    }

    void remove(Subscription<S> s) {
        int i = s.indexInOwner;
        Subscription<S> last = subscriptions[--size];
        subscriptions[i] = last;
        last.indexInOwner = i;
        subscriptions[size] = null;
        if (byTarget != null) {
            byTarget.remove(s.target);
        }
    }
}

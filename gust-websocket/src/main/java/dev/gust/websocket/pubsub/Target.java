package dev.gust.websocket.pubsub;

import java.util.Arrays;

/**
 * The subscriptions of one exact topic or one wildcard filter, in an array for fast publish
 * iteration. While a publish iterates it ("pinned"), removals leave tombstones instead of moving
 * entries, so the iteration neither skips nor repeats anyone; the array is compacted when the
 * last iteration ends.
 */
final class Target<S> {
    final String name;
    /** For a wildcard filter, the trie node holding it (to prune on removal); null for exact topics. */
    final PatternTrie.Node<S> node;
    Subscription<S>[] subscriptions;
    int size;
    int live;
    int pins;
    private boolean hasTombstones;

    @SuppressWarnings("unchecked")
    Target(String name, PatternTrie.Node<S> node) {
        this.name = name;
        this.node = node;
        this.subscriptions = (Subscription<S>[]) new Subscription<?>[4];
    }

    void add(Subscription<S> s) {
        if (size == subscriptions.length) {
            subscriptions = Arrays.copyOf(subscriptions, size * 2);
        }
        s.indexInTarget = size;
        subscriptions[size++] = s;
        live++;
    }

    void remove(Subscription<S> s) {
        s.removed = true;
        live--;
        if (pins > 0) {
            hasTombstones = true;
            return;
        }
        int i = s.indexInTarget;
        Subscription<S> last = subscriptions[--size];
        subscriptions[i] = last;
        last.indexInTarget = i;
        subscriptions[size] = null;
        shrinkIfSparse();
    }

    void pin() {
        pins++;
    }

    /** Ends one iteration; returns true if the target has become empty and may be dropped. */
    boolean unpin() {
        if (--pins == 0 && hasTombstones) {
            compact();
        }
        return pins == 0 && live == 0;
    }

    boolean isDroppable() {
        return pins == 0 && live == 0;
    }

    private void compact() {
        int j = 0;
        for (int i = 0; i < size; i++) {
            Subscription<S> s = subscriptions[i];
            if (!s.removed) {
                s.indexInTarget = j;
                subscriptions[j++] = s;
            }
        }
        Arrays.fill(subscriptions, j, size, null);
        size = j;
        hasTombstones = false;
        shrinkIfSparse();
    }

    private void shrinkIfSparse() {
        // Give memory back after a mass unsubscribe, with hysteresis against flapping.
        if (subscriptions.length > 16 && size < subscriptions.length / 4) {
            subscriptions = Arrays.copyOf(subscriptions, subscriptions.length / 2);
        }
    }
}

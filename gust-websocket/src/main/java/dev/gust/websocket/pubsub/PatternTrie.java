package dev.gust.websocket.pubsub;

/**
 * MQTT-style topic filters, one trie level per {@code /}-separated topic level: {@code +} matches
 * exactly one level, {@code #} (last level only) matches the parent level and everything below it,
 * so {@code "sport/#"} matches {@code "sport"} and {@code "sport/tennis/live"}. Only filters with a
 * wildcard live here; exact topics are in a hash map.
 */
final class PatternTrie<S> {
    static final String ONE_LEVEL = "+";
    static final String REST = "#";

    /** A trie node; {@code target} holds subscribers whose filter ends here. */
    static final class Node<S> {
        final Node<S> parent;
        final String level;
        final LevelTable<Node<S>> children = new LevelTable<>();
        Node<S> oneLevel;
        Node<S> rest;
        Target<S> target;

        Node(Node<S> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        boolean isEmpty() {
            return target == null && oneLevel == null && rest == null && children.size() == 0;
        }
    }

    private final Node<S> root = new Node<>(null, "");
    private int filters;

    /** Number of filters with at least one subscriber (or pinned by a publish). */
    int size() {
        return filters;
    }

    /**
     * True if {@code topic} contains wildcard levels; throws if it uses {@code +} or {@code #}
     * inside a level or {@code #} before the last level, as MQTT forbids.
     */
    static boolean isFilter(String topic) {
        if (topic.indexOf('+') < 0 && topic.indexOf('#') < 0) {
            return false;
        }
        int start = 0;
        while (true) {
            int end = topic.indexOf('/', start);
            int stop = end < 0 ? topic.length() : end;
            for (int i = start; i < stop; i++) {
                char c = topic.charAt(i);
                if ((c == '+' || c == '#') && stop - start != 1) {
                    throw new IllegalArgumentException("wildcard must be a whole level: " + topic);
                }
                if (c == '#' && end >= 0) {
                    throw new IllegalArgumentException("'#' must be the last level: " + topic);
                }
            }
            if (end < 0) {
                return true;
            }
            start = end + 1;
        }
    }

    /** The target of {@code filter}, created with its path if absent. */
    Target<S> targetOf(String filter) {
        Node<S> node = root;
        int start = 0;
        while (true) {
            int end = filter.indexOf('/', start);
            int stop = end < 0 ? filter.length() : end;
            node = childOrCreate(node, filter.substring(start, stop));
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        if (node.target == null) {
            node.target = new Target<>(filter, node);
            filters++;
        }
        return node.target;
    }

    /** The existing target of {@code filter}, or null. */
    Target<S> find(String filter) {
        Node<S> node = root;
        int start = 0;
        while (node != null) {
            int end = filter.indexOf('/', start);
            int stop = end < 0 ? filter.length() : end;
            node = child(node, filter, start, stop);
            if (end < 0) {
                return node == null ? null : node.target;
            }
            start = end + 1;
        }
        return null;
    }

    /** Removes an emptied filter and every node left without purpose on its path. */
    void drop(Target<S> target) {
        Node<S> node = target.node;
        if (node.target != target) {
            return;
        }
        node.target = null;
        filters--;
        while (node.parent != null && node.isEmpty()) {
            Node<S> parent = node.parent;
            if (node == parent.oneLevel) {
                parent.oneLevel = null;
            } else if (node == parent.rest) {
                parent.rest = null;
            } else {
                parent.children.remove(node.level);
            }
            node = parent;
        }
    }

    /** Pushes every target whose filter matches {@code topic} onto {@code out}. */
    void collectMatches(String topic, TopicRegistry<S> out) {
        collect(root, topic, 0, out);
    }

    private void collect(Node<S> node, String topic, int levelStart, TopicRegistry<S> out) {
        if (node.rest != null && node.rest.target != null) {
            out.pushMatch(node.rest.target);
        }
        if (levelStart > topic.length()) {
            if (node.target != null) {
                out.pushMatch(node.target);
            }
            return;
        }
        int end = topic.indexOf('/', levelStart);
        if (end < 0) {
            end = topic.length();
        }
        Node<S> exact = node.children.get(topic, levelStart, end);
        if (exact != null) {
            collect(exact, topic, end + 1, out);
        }
        if (node.oneLevel != null) {
            collect(node.oneLevel, topic, end + 1, out);
        }
    }

    private static <S> Node<S> child(Node<S> node, String s, int from, int to) {
        if (to - from == 1) {
            char c = s.charAt(from);
            if (c == '+') {
                return node.oneLevel;
            }
            if (c == '#') {
                return node.rest;
            }
        }
        return node.children.get(s, from, to);
    }

    private static <S> Node<S> childOrCreate(Node<S> node, String level) {
        Node<S> child = child(node, level, 0, level.length());
        if (child == null) {
            child = new Node<>(node, level);
            if (level.equals(ONE_LEVEL)) {
                node.oneLevel = child;
            } else if (level.equals(REST)) {
                node.rest = child;
            } else {
                node.children.put(level, child);
            }
        }
        return child;
    }
}

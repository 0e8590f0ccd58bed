package dev.gust.websocket.pubsub;

/**
 * Open-addressing map from a topic level to a value that can be queried with a range of a larger
 * string, so matching a published topic against the wildcard trie allocates no substrings.
 */
final class LevelTable<V> {
    private String[] keys = new String[4];
    private Object[] values = new Object[4];
    private int size;

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
        int mask = keys.length - 1;
        int length = to - from;
        for (int i = hash(s, from, to) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.length() == length && k.regionMatches(0, s, from, length)) {
                return (V) values[i];
            }
        }
    }

    void put(String key, V value) {
        if (2 * (size + 1) > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        for (int i = hash(key, 0, key.length()) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i].equals(key)) {
                values[i] = value;
                return;
            }
        }
    }

    void remove(String key) {
        int mask = keys.length - 1;
        int i = hash(key, 0, key.length()) & mask;
        while (keys[i] != null && !keys[i].equals(key)) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            return;
        }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = hash(keys[j], 0, keys[j].length()) & mask;
            boolean homeInGap = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!homeInGap) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = null;
        values[i] = null;
        size--;
        if (keys.length > 8 && size < keys.length / 8) {
            resize(keys.length / 2);
        }
    }

    @SuppressWarnings("unchecked")
    private void resize(int capacity) {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}

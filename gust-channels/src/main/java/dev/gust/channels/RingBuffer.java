package dev.gust.channels;

/**
 * The element buffer of a buffered channel: a circular array, fixed for a bounded channel, doubling
 * for an unbounded one. Guarded by the channel lock.
 */
final class RingBuffer {
    private Object[] items;
    private int head;
    private int size;
    private final boolean growable;

    RingBuffer(int initialCapacity, boolean growable) {
        this.items = new Object[Math.max(1, initialCapacity)];
        this.growable = growable;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return !growable && size == items.length;
    }

    void add(Object e) {
        Object[] a = items;
        if (size == a.length) {
            a = grow();
        }
        int i = head + size;
        if (i >= a.length) {
            i -= a.length;
        }
        a[i] = e;
        size++;
    }

    Object poll() {
        Object[] a = items;
        int h = head;
        Object e = a[h];
        a[h] = null;
        head = (h + 1 == a.length) ? 0 : h + 1;
        size--;
        return e;
    }

    private Object[] grow() {
        Object[] a = items;
        Object[] b = new Object[a.length * 2];
        for (int i = 0; i < size; i++) {
            int j = head + i;
            b[i] = a[j >= a.length ? j - a.length : j];
        }
        items = b;
        head = 0;
        return b;
    }
}

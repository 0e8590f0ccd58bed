package dev.gust.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Datagrams the kernel refused, kept in order (with a copy of each payload) until the socket is
 * writable again; bounded by payload bytes. Empty in the steady state, so it costs nothing then.
 */
final class DatagramQueue {
    record Entry(ByteBuffer payload, InetSocketAddress target) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final long maxBytes;
    private long bytes;

    DatagramQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Copies and keeps {@code payload} (consumed); false when that would pass the bound (then dropped). */
    boolean add(ByteBuffer payload, InetSocketAddress target) {
        int size = payload.remaining();
        if (bytes + size > maxBytes) {
            payload.position(payload.limit());
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(size).put(payload).flip();
        entries.addLast(new Entry(copy, target));
        bytes += size;
        return true;
    }

    Entry peek() {
        return entries.peekFirst();
    }

    void removeFirst() {
        Entry e = entries.removeFirst();
        bytes -= e.payload().capacity();
    }

    /** Drops queued datagrams whose target is neither null nor {@code remote} (after a connect). */
    void retainTarget(InetSocketAddress remote) {
        entries.removeIf(e -> {
            boolean drop = e.target() != null && !e.target().equals(remote);
            if (drop) bytes -= e.payload().capacity();
            return drop;
        });
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        entries.clear();
        bytes = 0;
    }
}

package dev.gust.http.parse;

import java.nio.ByteBuffer;

/**
 * Per-connection storage for a request head that did not arrive in one read (or that a handler
 * detached). Grows on demand; the parser bounds it by the head size limit before appending.
 */
final class HeadBuffer {
    private static final int INITIAL_CAPACITY = 512;

    private byte[] bytes = new byte[0];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    private int length;
    private long bytesCopied;   // lifetime total, lets tests prove each head is copied at most once

    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    /** The stored bytes as a heap buffer whose indices match {@code [0, length())}. */
    ByteBuffer view() {
        return view;
    }

    void append(ByteBuffer src, int offset, int count) {
        ensureCapacity(length + count);
        src.get(offset, bytes, length, count);
        length += count;
        bytesCopied += count;
    }

    long bytesCopied() {
        return bytesCopied;
    }

    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) return;
        int capacity = Math.max(INITIAL_CAPACITY, bytes.length);
        while (capacity < needed) capacity <<= 1;
        bytes = java.util.Arrays.copyOf(bytes, capacity);
        view = ByteBuffer.wrap(bytes);
    }
}

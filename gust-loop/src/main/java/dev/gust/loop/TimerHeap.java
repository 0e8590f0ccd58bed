package dev.gust.loop;

import java.util.Arrays;

/** A binary min-heap of precise timers by deadline; each timer knows its index, so removal is O(log n). */
final class TimerHeap {
    private PreciseTimer[] heap = new PreciseTimer[16];
    private int size;

    int size() {
        return size;
    }

    PreciseTimer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(PreciseTimer t) {
        if (t.heapIndex >= 0) return;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = t;
        t.heapIndex = size;
        siftUp(size++);
    }

    void remove(PreciseTimer t) {
        int i = t.heapIndex;
        if (i < 0) return;
        t.heapIndex = -1;
        PreciseTimer last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    /** Removes every timer, returning them (for loop close). */
    PreciseTimer[] clear() {
        PreciseTimer[] all = Arrays.copyOf(heap, size);
        for (PreciseTimer t : all) t.heapIndex = -1;
        Arrays.fill(heap, 0, size, null);
        size = 0;
        return all;
    }

    private static boolean before(PreciseTimer a, PreciseTimer b) {
        return a.deadline - b.deadline < 0;
    }

    private void siftUp(int i) {
        PreciseTimer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            PreciseTimer p = heap[parent];
            if (!before(t, p)) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        PreciseTimer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) child = right;
            if (!before(heap[child], t)) break;
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}

package dev.gust.channels;

/**
 * FIFO of blocked senders or receivers of one channel (Go's {@code waitq}). Guarded by the channel
 * lock. May hold stale nodes (their select already won elsewhere or gave up); consumers skip them.
 */
final class WaitQueue {
    private Node head;
    private Node tail;

    boolean isEmpty() {
        return head == null;
    }

    void add(Node n) {
        n.queued = true;
        n.next = null;
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
    }

    /** Removes and returns the first node, live or stale, or null. */
    Node poll() {
        Node n = head;
        if (n != null) {
            unlink(n);
        }
        return n;
    }

    /** Removes {@code n} if it is still linked (it may have been polled by a counterpart). */
    void remove(Node n) {
        if (n.queued) {
            unlink(n);
        }
    }

    /** True if some node's owner is still waiting; drops stale nodes found at the head. */
    boolean hasLive() {
        Node n;
        while ((n = head) != null) {
            if (n.owner.state() == Waiter.WAITING) {
                return true;
            }
            unlink(n);
        }
        return false;
    }

    private void unlink(Node n) {
        Node p = n.prev;
        Node x = n.next;
        if (p == null) {
            head = x;
        } else {
            p.next = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.prev = p;
        }
        n.prev = null;
        n.next = null;
        n.queued = false;
    }
}

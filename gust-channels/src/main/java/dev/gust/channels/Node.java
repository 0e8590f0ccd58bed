package dev.gust.channels;

/**
 * One blocked operation on one channel: Go's {@code sudog}.
 *
 * <p>A plain {@code send}/{@code receive} enqueues its {@link Waiter} itself. A select enqueues one
 * node per channel case, all pointing at the same {@link Waiter}; whichever counterpart wins the
 * CAS on that waiter's state completes exactly that case, and every other node becomes stale.
 *
 * <p>All fields except {@link #item} are guarded by the lock of the channel whose queue holds the
 * node. {@link #item} is written by a counterpart before it wins the waiter's CAS and read by the
 * owner after it sees the final state, so the CAS orders it.
 */
class Node {
    /** Whose state decides which case wins. */
    Waiter owner;
    /** Case index inside the owner's select (0 for a plain operation). */
    final int index;
    /**
     * For a send node: the element to send (or {@link Channel#CLOSED} once the channel closed on
     * it). For a receive node: the element received, or {@link Channel#CLOSED}.
     */
    Object item;
    Node prev;
    Node next;
    /** True while linked into a channel's {@link WaitQueue}. */
    boolean queued;

    Node(Waiter owner, int index) {
        this.owner = owner;
        this.index = index;
    }
}

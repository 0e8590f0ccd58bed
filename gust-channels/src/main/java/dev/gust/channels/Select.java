package dev.gust.channels;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Go's {@code select}: wait until one of several channel operations can proceed, and perform
 * exactly that one.
 *
 * <pre>{@code
 * import static dev.gust.channels.Select.*;
 *
 * int chosen = select(
 *     jobs.onSend(next, () -> log("queued")),
 *     results.onReceive(r -> publish(r)),
 *     timeout(Duration.ofSeconds(1), () -> log("idle")));
 * }</pre>
 *
 * <ul>
 *   <li>When several cases are ready, one is chosen uniformly at random.</li>
 *   <li>A {@link #defaultCase default} case runs if no channel case is ready right now (non-blocking
 *       select). A {@link #timeout timeout} case runs if none became ready in time (the earliest
 *       timeout wins if there are several).</li>
 *   <li>A channel may appear in several cases, with send and receive cases on the same channel.</li>
 *   <li>{@link #disabled()} (or {@link #when(boolean, SelectCase)} with false) is a case that is
 *       never ready, like a nil channel in Go.</li>
 *   <li>Exactly one case's operation happens: an element is never taken by a select that then
 *       loses, times out or is interrupted.</li>
 *   <li>The chosen case's action runs on the calling thread after all channels were released.</li>
 *   <li>A chosen receive case on a closed and drained channel throws {@link ChannelClosedException}
 *       unless it was built with an {@code onClosed} handler; a chosen send case on a closed channel
 *       throws it (a closed channel counts as ready, as in Go).</li>
 * </ul>
 *
 * <h2>Algorithm</h2>
 * As Go's {@code selectgo}: lock every involved channel in a global order (by channel id);
 * pass 1 looks for ready cases and performs a uniformly chosen one; otherwise, pass 2 enqueues one
 * {@link Node} per case, all sharing one {@link Waiter}, unlocks and parks; a counterpart completes
 * one case by winning the waiter's state with a CAS; pass 3 removes the other nodes.
 */
public final class Select {
    private Select() {
    }

    /**
     * Blocks until one case can proceed, performs it, runs its action, and returns its index in
     * {@code cases}.
     *
     * @throws InterruptedException if interrupted while waiting; then no case was performed
     * @throws ChannelClosedException if the chosen case's channel is closed (see class doc)
     * @throws IllegalArgumentException if there is more than one default case
     */
    public static int select(SelectCase... cases) throws InterruptedException {
        int n = cases.length;
        int defaultIdx = -1;
        int timeoutIdx = -1;
        long timeoutNanos = Long.MAX_VALUE;
        int channelCases = 0;
        for (int i = 0; i < n; i++) {
            SelectCase c = Objects.requireNonNull(cases[i], "case");
            switch (c.kind) {
                case SelectCase.RECEIVE, SelectCase.SEND -> channelCases++;
                case SelectCase.DEFAULT -> {
                    if (defaultIdx >= 0) {
                        throw new IllegalArgumentException("more than one default case");
                    }
                    defaultIdx = i;
                }
                case SelectCase.TIMEOUT -> {
                    if (timeoutIdx < 0 || c.nanos < timeoutNanos) {
                        timeoutIdx = i;
                        timeoutNanos = c.nanos;
                    }
                }
                default -> { } // disabled
            }
        }
        Channel<?>[] order = lockOrder(cases, channelCases);
        for (Channel<?> ch : order) {
            ch.lock();
        }

        // Pass 1: perform a uniformly chosen ready case, if any.
        for (;;) {
            int ready = 0;
            long mask = 0; // readiness of the first 64 cases; beyond that we recheck (rare)
            for (int i = 0; i < n; i++) {
                if (isReady(cases[i])) {
                    ready++;
                    if (i < 64) {
                        mask |= 1L << i;
                    }
                }
            }
            if (ready == 0) {
                break;
            }
            int pick = ready == 1 ? 0 : ThreadLocalRandom.current().nextInt(ready);
            int chosen = -1;
            for (int i = 0; i < n; i++) {
                if (i < 64 ? (mask & (1L << i)) != 0 : isReady(cases[i])) {
                    if (pick-- == 0) {
                        chosen = i;
                        break;
                    }
                }
            }
            if (chosen < 0) {
                continue; // readiness changed among cases past 64; recount
            }
            Object result = attempt(cases[chosen]);
            if (result != NOT_DONE) {
                releaseAll(order);
                cases[chosen].complete(result);
                return chosen;
            }
            // The counterpart we saw gave up meanwhile (and is now unlinked): look again.
        }

        if (defaultIdx >= 0 || (timeoutIdx >= 0 && timeoutNanos <= 0)) {
            releaseAll(order);
            int idx = defaultIdx >= 0 ? defaultIdx : timeoutIdx;
            cases[idx].complete(null);
            return idx;
        }

        // Pass 2: enqueue one node per channel case, all owned by one waiter, and park.
        Waiter w = new Waiter(Thread.currentThread());
        Node[] nodes = new Node[n];
        for (int i = 0; i < n; i++) {
            SelectCase c = cases[i];
            if (c.isChannelCase()) {
                Node node = new Node(w, i);
                boolean sender = c.kind == SelectCase.SEND;
                if (sender) {
                    node.item = c.element;
                }
                c.channel.enqueueLocked(node, sender);
                nodes[i] = node;
            }
        }
        releaseAll(order);
        int s = w.await(timeoutIdx >= 0 ? timeoutNanos : 0L, w, order.length > 0 ? order[0].spin() : null);

        // Pass 3: unlink the losing nodes. A node found unlinked was polled by a counterpart that
        // then lost the CAS; it never becomes linked again, so a racy read of false is final.
        for (int i = 0; i < n; i++) {
            Node node = nodes[i];
            if (node != null && i != s && node.queued) {
                Channel<?> ch = cases[i].channel;
                ch.lock();
                ch.removeLocked(node, cases[i].kind == SelectCase.SEND);
                ch.release();
            }
        }
        if (s >= 0) {
            cases[s].complete(nodes[s].item); // receive: element or CLOSED; send: element or CLOSED
            return s;
        }
        if (s == Waiter.TIMED_OUT) {
            cases[timeoutIdx].complete(null);
            return timeoutIdx;
        }
        throw new InterruptedException();
    }

    /** A case that runs {@code action} when no channel case is ready: makes the select non-blocking. */
    public static SelectCase defaultCase(Runnable action) {
        return SelectCase.otherwise(Objects.requireNonNull(action, "action"));
    }

    /** A default case that does nothing. */
    public static SelectCase defaultCase() {
        return SelectCase.otherwise(null);
    }

    /**
     * A case that runs {@code action} if no channel case became ready within {@code timeout}. The
     * timeout is driven by the shared timer wheel: no thread or {@code parkNanos} per select.
     */
    public static SelectCase timeout(Duration timeout, Runnable action) {
        return SelectCase.timeout(Channel.toNanos(timeout), Objects.requireNonNull(action, "action"));
    }

    /** A timeout case that does nothing. */
    public static SelectCase timeout(Duration timeout) {
        return SelectCase.timeout(Channel.toNanos(timeout), null);
    }

    /** A case that is never ready (Go's nil channel). */
    public static SelectCase disabled() {
        return SelectCase.NEVER;
    }

    /** {@code selectCase} if {@code enabled}, else {@link #disabled()}. */
    public static SelectCase when(boolean enabled, SelectCase selectCase) {
        return enabled ? Objects.requireNonNull(selectCase, "selectCase") : SelectCase.NEVER;
    }

    // ------------------------------------------------------------------------------------------

    private static final Object NOT_DONE = new Object();

    private static boolean isReady(SelectCase c) {
        return switch (c.kind) {
            case SelectCase.RECEIVE -> c.channel.canReceiveLocked();
            case SelectCase.SEND -> c.channel.canSendLocked();
            default -> false;
        };
    }

    /** Performs a ready case with its channel locked: the result, CLOSED, or NOT_DONE if it raced. */
    private static Object attempt(SelectCase c) {
        Channel<?> ch = c.channel;
        if (c.kind == SelectCase.RECEIVE) {
            Object x = ch.pollLocked();
            if (x != null) {
                return x;
            }
            return ch.closedLocked() ? Channel.CLOSED : NOT_DONE;
        }
        if (ch.closedLocked()) {
            return Channel.CLOSED;
        }
        return ch.offerLocked(c.element) ? null : NOT_DONE;
    }

    /** Distinct channels of the cases, sorted by id: the global lock order. */
    private static Channel<?>[] lockOrder(SelectCase[] cases, int channelCases) {
        Channel<?>[] order = new Channel<?>[channelCases];
        int k = 0;
        for (SelectCase c : cases) {
            if (c.isChannelCase()) {
                Channel<?> ch = c.channel;
                int j = k;
                while (j > 0 && order[j - 1].id > ch.id) {
                    order[j] = order[j - 1];
                    j--;
                }
                if (j > 0 && order[j - 1] == ch) { // duplicate: undo the shift
                    System.arraycopy(order, j + 1, order, j, k - j);
                    order[k] = null;
                    continue;
                }
                order[j] = ch;
                k++;
            }
        }
        if (k < order.length) {
            Channel<?>[] distinct = new Channel<?>[k];
            System.arraycopy(order, 0, distinct, 0, k);
            return distinct;
        }
        return order;
    }

    private static void releaseAll(Channel<?>[] order) {
        for (Channel<?> ch : order) {
            ch.release();
        }
    }
}

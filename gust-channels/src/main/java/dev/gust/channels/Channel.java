package dev.gust.channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A Go-style channel: rendezvous ({@link #rendezvous()}), bounded ({@link #bounded(int)}) or
 * unbounded ({@link #unbounded()}), safe for any number of senders and receivers on virtual or
 * platform threads.
 *
 * <pre>{@code
 * var jobs = Channel.<String>bounded(16);
 * Routines.go(() -> {
 *     for (var job : jobs) System.out.println("got " + job); // ends when jobs is closed and drained
 * });
 * jobs.send("a");
 * jobs.send("b");
 * jobs.close();
 * }</pre>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Blocking</b> operations ({@link #send}, {@link #receive}, and their timed forms) throw the
 *       checked {@link InterruptedException} when the thread is interrupted while it would block.
 *       An operation that can complete without blocking completes. If the element was already handed
 *       over when the interrupt arrives, the operation completes normally and the interrupt status
 *       stays set: an element is never lost to an interrupt.</li>
 *   <li><b>Closed</b>: {@link #close()} lets receivers drain what is buffered; after that
 *       {@link #receive()} and {@link #tryReceive()} throw {@link ChannelClosedException},
 *       {@link #receiveOrNull()} returns {@code null} and iteration ends. Sending on a closed channel
 *       throws {@link ChannelClosedException}; senders blocked at the moment of closing get it too and
 *       their elements are not delivered.</li>
 *   <li>{@code null} elements are rejected, so {@code null} is the "nothing" result of
 *       {@link #tryReceive()}, {@link #receive(Duration)} and {@link #receiveOrNull()}: no
 *       {@code Optional} is allocated on hot paths.</li>
 *   <li><b>From an event loop</b>: {@link #trySend} / {@link #tryReceive} never block and never fail
 *       spuriously when the operation is possible; {@link #onSendReady} / {@link #onReceiveReady}
 *       register a one-shot callback for when it is worth trying again.</li>
 * </ul>
 *
 * <h2>Implementation</h2>
 * Modelled on Go's {@code runtime/chan.go}: one small lock per channel ({@link SpinLock}), a ring
 * buffer, and FIFO queues of blocked senders and receivers ({@link WaitQueue} of {@link Node}s).
 * Invariants, all under the lock:
 * <ul>
 *   <li>If receivers wait, the buffer is empty. If senders wait, the buffer is more than half
 *       full (or there is none; see {@link #pollLocked()}). Queues may also hold <em>stale</em> nodes of selects that already completed elsewhere
 *       or threads that gave up; every consumer skips them.</li>
 *   <li>A sender that finds a waiting receiver copies the element into the receiver's node and wins
 *       the receiver's {@link Waiter} state with one CAS: direct hand-off, no buffer, and no
 *       allocation for the party that does not wait.</li>
 *   <li>Wake-ups ({@code LockSupport.unpark}) and readiness callbacks run after the lock is released.</li>
 * </ul>
 *
 * @param <E> element type
 */
public final class Channel<E> extends SpinLock implements Iterable<E> {
    /** Marker stored in a node's item when the channel closed on it. */
    static final Object CLOSED = new Object();
    private static final AtomicLong IDS = new AtomicLong();

    /** Total order used by select to lock several channels without deadlock. */
    final long id = IDS.incrementAndGet();
    private final int capacity;
    private final RingBuffer buf; // null: rendezvous
    private final WaitQueue sendq = new WaitQueue();
    private final WaitQueue recvq = new WaitQueue();
    private final AdaptiveSpin spin;
    /** Move blocked senders into the buffer once it holds at most this many elements. */
    private final int refillMark;
    private static final boolean BATCH_REFILL = !Boolean.getBoolean("gust.channels.noBatchRefill");
    private volatile boolean closed;
    private Throwable closeCause;

    // Work to do right after unlocking, recorded by the *Locked methods (see release()).
    private Waiter wake; // chained through Waiter.nextWake
    private ReadyCallback sendReady;
    private ReadyCallback recvReady;

    private Channel(int capacity, boolean unbounded) {
        this.capacity = unbounded ? Integer.MAX_VALUE : capacity;
        this.buf = capacity == 0 && !unbounded ? null : new RingBuffer(unbounded ? 16 : capacity, unbounded);
        this.spin = AdaptiveSpin.create(buf == null);
        this.refillMark = unbounded ? Integer.MAX_VALUE
                : (capacity >= 4 && BATCH_REFILL ? capacity / 2 : capacity - 1);
    }

    /** A channel without buffer: each send waits for a receiver and hands the element over directly. */
    public static <E> Channel<E> rendezvous() {
        return new Channel<>(0, false);
    }

    /**
     * A channel buffering up to {@code capacity} elements; senders block when it is full.
     * A capacity of 0 gives a rendezvous channel.
     */
    public static <E> Channel<E> bounded(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + capacity);
        }
        return new Channel<>(capacity, false);
    }

    /** A channel whose buffer grows as needed; {@link #send} never blocks. */
    public static <E> Channel<E> unbounded() {
        return new Channel<>(0, true);
    }

    /** 0 for rendezvous, {@link Integer#MAX_VALUE} for unbounded. */
    public int capacity() {
        return capacity;
    }

    /** Number of buffered elements (a snapshot). */
    public int size() {
        lock();
        int n = buf == null ? 0 : buf.size();
        unlock();
        return n;
    }

    // ------------------------------------------------------------------------------------------
    // send

    /**
     * Sends {@code element}, blocking until a receiver takes it (rendezvous) or there is room in
     * the buffer.
     *
     * @throws ChannelClosedException if the channel is closed, or closes while this send waits
     * @throws InterruptedException if interrupted while waiting; the element was not sent
     */
    public void send(E element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        lock();
        if (closed) {
            unlock();
            throw closedForSend();
        }
        if (offerLocked(element)) {
            release();
            return;
        }
        Waiter w = new Waiter(Thread.currentThread());
        w.item = element;
        sendq.add(w);
        release();
        awaitSend(w, 0L);
    }

    /**
     * Sends {@code element}, waiting at most {@code timeout}.
     *
     * @return true if sent, false if the timeout elapsed first (the element was not sent)
     * @throws ChannelClosedException if the channel is closed
     * @throws InterruptedException if interrupted while waiting; the element was not sent
     */
    public boolean send(E element, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        long nanos = toNanos(timeout);
        lock();
        if (closed) {
            unlock();
            throw closedForSend();
        }
        if (offerLocked(element)) {
            release();
            return true;
        }
        if (nanos <= 0) {
            unlock();
            return false;
        }
        Waiter w = new Waiter(Thread.currentThread());
        w.item = element;
        sendq.add(w);
        release();
        return awaitSend(w, nanos);
    }

    /**
     * Sends without blocking if a receiver is waiting or the buffer has room.
     *
     * @return true if sent, false if that would block
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(E element) {
        Objects.requireNonNull(element, "element");
        lock();
        if (closed) {
            unlock();
            throw closedForSend();
        }
        boolean sent = offerLocked(element);
        release();
        return sent;
    }

    private boolean awaitSend(Waiter w, long nanos) throws InterruptedException {
        int s = w.await(nanos, this, spin);
        if (s >= 0) {
            if (w.item == CLOSED) {
                throw closedForSend();
            }
            return true;
        }
        lock();
        sendq.remove(w);
        release();
        if (s == Waiter.CANCELLED) {
            throw new InterruptedException();
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // receive

    /**
     * Receives an element, blocking until one is available.
     *
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     */
    public E receive() throws InterruptedException {
        Object x = receive0(0L, false);
        if (x == CLOSED) {
            throw closedForReceive();
        }
        return cast(x);
    }

    /**
     * Receives an element, blocking until one is available, or returns {@code null} once the
     * channel is closed and drained (also if closed with an error). Handy for loops:
     * {@code for (E e; (e = ch.receiveOrNull()) != null; ) ...}
     *
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     */
    public E receiveOrNull() throws InterruptedException {
        Object x = receive0(0L, false);
        return x == CLOSED ? null : cast(x);
    }

    /**
     * Receives an element, waiting at most {@code timeout}.
     *
     * @return the element, or null if the timeout elapsed first
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     */
    public E receive(Duration timeout) throws InterruptedException {
        Object x = receive0(toNanos(timeout), true);
        if (x == CLOSED) {
            throw closedForReceive();
        }
        return cast(x);
    }

    /**
     * Receives an element without blocking.
     *
     * @return the element, or null if none is available right now
     * @throws ChannelClosedException if the channel is closed and drained
     */
    public E tryReceive() {
        lock();
        Object x = pollLocked();
        if (x != null) {
            release();
            return cast(x);
        }
        boolean isClosed = closed;
        release();
        if (isClosed) {
            throw closedForReceive();
        }
        return null;
    }

    /** Returns an element, CLOSED, or null (timed and timed out). */
    private Object receive0(long nanos, boolean timed) throws InterruptedException {
        lock();
        Object x = pollLocked();
        if (x != null) {
            release();
            return x;
        }
        if (closed) {
            unlock();
            return CLOSED;
        }
        if (timed && nanos <= 0) {
            unlock();
            return null;
        }
        Waiter w = new Waiter(Thread.currentThread());
        recvq.add(w);
        release();
        int s = w.await(nanos, this, spin);
        if (s >= 0) {
            return w.item; // element or CLOSED, written by the counterpart before it won
        }
        lock();
        recvq.remove(w);
        release();
        if (s == Waiter.CANCELLED) {
            throw new InterruptedException();
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // close

    /**
     * Closes the channel: later sends fail, blocked senders fail, receivers drain the buffer and then
     * see the channel closed.
     *
     * @return true if this call closed it, false if it was already closed
     */
    public boolean close() {
        return close0(null);
    }

    /**
     * Closes the channel with an error: like {@link #close()}, but receivers that find it closed and
     * drained get a {@link ChannelClosedException} whose cause is {@code error}.
     *
     * @return true if this call closed it, false if it was already closed
     */
    public boolean closeWithError(Throwable error) {
        return close0(Objects.requireNonNull(error, "error"));
    }

    private boolean close0(Throwable cause) {
        List<Thread> toWake = new ArrayList<>();
        lock();
        if (closed) {
            unlock();
            return false;
        }
        closeCause = cause;
        closed = true;
        // Receivers wait only while the buffer is empty: all of them see "closed".
        for (Node n; (n = recvq.poll()) != null; ) {
            n.item = CLOSED;
            if (n.owner.tryWin(n.index)) {
                toWake.add(n.owner.thread);
            }
        }
        // Blocked senders fail; their elements stay theirs.
        for (Node n; (n = sendq.poll()) != null; ) {
            Object e = n.item;
            n.item = CLOSED;
            if (n.owner.tryWin(n.index)) {
                toWake.add(n.owner.thread);
            } else {
                n.item = e;
            }
        }
        ReadyCallback callbacks = concat(sendReady, recvReady);
        sendReady = null;
        recvReady = null;
        release();
        for (Thread t : toWake) {
            LockSupport.unpark(t);
        }
        if (callbacks != null) {
            ReadyCallback.runAll(callbacks);
        }
        return true;
    }

    /** True once the channel is closed: sends fail. */
    public boolean isClosedForSend() {
        return closed;
    }

    /** True once the channel is closed and drained: receives fail. */
    public boolean isClosedForReceive() {
        if (!closed) {
            return false;
        }
        lock();
        boolean drained = buf == null || buf.size() == 0;
        unlock();
        return drained;
    }

    // ------------------------------------------------------------------------------------------
    // readiness callbacks (for event-loop code that must never block)

    /**
     * Runs {@code callback} once, as soon as a {@link #trySend} may succeed: there is room in the
     * buffer, a receiver is waiting, or the channel is closed (then {@code trySend} throws). Runs it
     * right away, on this thread, if that is already so; otherwise on the thread that makes it so,
     * after that thread released the channel. Never blocks. The callback must be short and must not
     * block (typically it re-schedules work on its event loop). A readiness notice is a hint: another
     * sender may win the space first, so try again and re-register if needed.
     *
     * <pre>{@code
     * void pump() {            // on an event loop thread
     *     while (hasNext()) {
     *         if (!ch.trySend(peek())) { ch.onSendReady(() -> loop.execute(this::pump)); return; }
     *         next();
     *     }
     * }
     * }</pre>
     */
    public void onSendReady(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lock();
        if (canSendLocked()) {
            unlock();
            callback.run();
            return;
        }
        sendReady = new ReadyCallback(callback, sendReady);
        unlock();
    }

    /**
     * Runs {@code callback} once, as soon as a {@link #tryReceive} may succeed: an element is
     * buffered, a sender is waiting, or the channel is closed. Same rules as {@link #onSendReady}.
     */
    public void onReceiveReady(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        lock();
        if (canReceiveLocked()) {
            unlock();
            callback.run();
            return;
        }
        recvReady = new ReadyCallback(callback, recvReady);
        unlock();
    }

    // ------------------------------------------------------------------------------------------
    // select cases

    /** A select case receiving from this channel; {@code action} gets the element. */
    public SelectCase onReceive(Consumer<? super E> action) {
        return SelectCase.receive(this, Objects.requireNonNull(action, "action"), null);
    }

    /**
     * A select case receiving from this channel that also handles "closed and drained" (Go's
     * {@code v, ok := <-ch}): {@code onClosed} runs instead of the select throwing
     * {@link ChannelClosedException}.
     */
    public SelectCase onReceive(Consumer<? super E> action, Runnable onClosed) {
        return SelectCase.receive(this, Objects.requireNonNull(action, "action"), Objects.requireNonNull(onClosed, "onClosed"));
    }

    /** A select case sending {@code element} to this channel; {@code action} runs once it was sent. */
    public SelectCase onSend(E element, Runnable action) {
        return SelectCase.send(this, Objects.requireNonNull(element, "element"), Objects.requireNonNull(action, "action"));
    }

    /** A select case sending {@code element} to this channel. */
    public SelectCase onSend(E element) {
        return SelectCase.send(this, Objects.requireNonNull(element, "element"), null);
    }

    // ------------------------------------------------------------------------------------------
    // iteration

    /**
     * Iterates by receiving until the channel is closed and drained. {@code hasNext()} blocks. If the
     * thread is interrupted while waiting, {@code hasNext()} restores the interrupt status and throws
     * {@link CancellationException}; if the channel was closed with an error, it throws
     * {@link ChannelClosedException} with that cause.
     */
    @Override
    public Iterator<E> iterator() {
        return new Iterator<>() {
            private Object next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                Object x;
                try {
                    x = receive0(0L, false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    CancellationException ce = new CancellationException("interrupted while iterating a channel");
                    ce.initCause(e);
                    throw ce;
                }
                if (x == CLOSED) {
                    done = true;
                    if (closeCause != null) {
                        throw closedForReceive();
                    }
                    return false;
                }
                next = x;
                return true;
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object x = next;
                next = null;
                return cast(x);
            }
        };
    }

    @Override
    public String toString() {
        lock();
        String s = "Channel#" + id + "[capacity=" + (capacity == Integer.MAX_VALUE ? "unbounded" : capacity)
                + ", size=" + (buf == null ? 0 : buf.size()) + (closed ? ", closed" : "") + "]";
        unlock();
        return s;
    }

    // ------------------------------------------------------------------------------------------
    // The algorithm. Every *Locked method requires the lock; release() then performs the wake-up
    // and callbacks they recorded.

    /**
     * Go's chansend fast paths: hand the element to a waiting receiver, else buffer it. The caller
     * has checked {@code closed}.
     *
     * @return false if the send would have to wait
     */
    boolean offerLocked(Object e) {
        for (Node r; (r = recvq.poll()) != null; ) {
            r.item = e; // must be visible before the winning CAS: the receiver reads it after
            if (r.owner.tryWin(r.index)) {
                addWake(r.owner);
                return true;
            }
            r.item = null; // stale receiver (its select won elsewhere, or it gave up)
        }
        if (buf != null && !buf.isFull()) {
            buf.add(e);
            return true;
        }
        return false;
    }

    /**
     * Go's chanrecv fast paths: take the buffer head, else take directly from a blocked sender.
     *
     * <p>Unlike Go, blocked senders are moved into the buffer in batches: only once the buffer is
     * down to {@link #refillMark} elements, and then as many as fit, all woken together. A woken
     * sender then finds room for several more sends instead of parking again after each one, which
     * with several producers roughly halves the park/unpark round trips. So senders may wait while
     * the buffer is not full (but more than half full); each sender still has at most one element
     * in flight, so FIFO per sender holds.
     *
     * @return the element, or null if a receive would have to wait (or the channel is closed)
     */
    Object pollLocked() {
        if (buf != null && buf.size() > 0) {
            Object e = buf.poll();
            if (buf.size() <= refillMark && !sendq.isEmpty()) {
                for (Node s; !buf.isFull() && (s = sendq.poll()) != null; ) {
                    if (s.owner.tryWin(s.index)) {
                        buf.add(s.item);
                        addWake(s.owner);
                    }
                }
            }
            return e;
        }
        for (Node s; (s = sendq.poll()) != null; ) {
            if (s.owner.tryWin(s.index)) {
                addWake(s.owner);
                return s.item;
            }
        }
        return null;
    }

    private void addWake(Waiter w) {
        w.nextWake = wake;
        wake = w;
    }

    AdaptiveSpin spin() {
        return spin;
    }

    boolean closedLocked() {
        return closed;
    }

    boolean canSendLocked() {
        return closed || (buf != null && !buf.isFull()) || recvq.hasLive();
    }

    boolean canReceiveLocked() {
        return closed || (buf != null && buf.size() > 0) || sendq.hasLive();
    }

    void enqueueLocked(Node n, boolean sender) {
        (sender ? sendq : recvq).add(n);
    }

    void removeLocked(Node n, boolean sender) {
        (sender ? sendq : recvq).remove(n);
    }

    /** Unlocks, then unparks the recorded counterpart and runs readiness callbacks that became due. */
    void release() {
        Waiter w = wake;
        ReadyCallback due = null;
        if (sendReady != null && canSendLocked()) {
            due = sendReady;
            sendReady = null;
        }
        if (recvReady != null && canReceiveLocked()) {
            due = concat(due, recvReady);
            recvReady = null;
        }
        if (w == null && due == null) {
            unlock();
            return;
        }
        wake = null;
        unlock();
        while (w != null) {
            Waiter next = w.nextWake;
            w.nextWake = null;
            LockSupport.unpark(w.thread);
            w = next;
        }
        if (due != null) {
            ReadyCallback.runAll(due);
        }
    }

    ChannelClosedException closedForSend() {
        return new ChannelClosedException("channel is closed for send", closeCause);
    }

    ChannelClosedException closedForReceive() {
        return new ChannelClosedException("channel is closed and drained", closeCause);
    }

    private static ReadyCallback concat(ReadyCallback a, ReadyCallback b) {
        if (a == null) {
            return b;
        }
        ReadyCallback t = a;
        while (t.next != null) {
            t = t.next;
        }
        t.next = b;
        return a;
    }

    static long toNanos(Duration d) {
        Objects.requireNonNull(d, "timeout");
        return d.isNegative() ? 0 : (d.compareTo(MAX_DURATION) >= 0 ? Long.MAX_VALUE : d.toNanos());
    }

    private static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    @SuppressWarnings("unchecked")
    private static <E> E cast(Object x) {
        return (E) x;
    }
}

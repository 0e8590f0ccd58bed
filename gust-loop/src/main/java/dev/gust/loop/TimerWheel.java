package dev.gust.loop;

/**
 * A hashed timer wheel for coarse timeouts: arm and cancel are O(1) and allocate nothing (entries
 * are intrusive list nodes owned by their timer). Entries fire within one tick after their deadline.
 * Deadlines beyond one rotation wait for the extra rounds in their slot.
 */
final class TimerWheel {
    /** A node in a slot's doubly linked list; subclasses say what firing means. */
    abstract static class Entry {
        Entry prev, next;
        long rounds;
        boolean linked;

        abstract void expire();
    }

    private static final class Head extends Entry {
        Head() {
            prev = next = this;
        }

        @Override
        void expire() {}
    }

    private final Head[] slots;
    private final int mask;
    final long tickNanos;
    private long currentTick;  // ticks since start that have been processed
    private final long startNanos;
    private int count;

    TimerWheel(int slotCount, long tickNanos, long nowNanos) {
        if (Integer.bitCount(slotCount) != 1) throw new IllegalArgumentException("slot count must be a power of two");
        this.slots = new Head[slotCount];
        for (int i = 0; i < slotCount; i++) slots[i] = new Head();
        this.mask = slotCount - 1;
        this.tickNanos = tickNanos;
        this.startNanos = nowNanos;
    }

    int size() {
        return count;
    }

    void arm(Entry e, long delayNanos, long nowNanos) {
        cancel(e);
        // Round up so an entry never fires early; the tick being processed now is already past.
        long dueTick = Math.max(currentTick + 1, (nowNanos - startNanos + delayNanos + tickNanos - 1) / tickNanos);
        long ticksAway = dueTick - currentTick;
        e.rounds = (ticksAway - 1) / slots.length;
        Head h = slots[(int) (dueTick & mask)];
        e.prev = h.prev;
        e.next = h;
        h.prev.next = e;
        h.prev = e;
        e.linked = true;
        count++;
    }

    void cancel(Entry e) {
        if (!e.linked) return;
        e.prev.next = e.next;
        e.next.prev = e.prev;
        e.prev = e.next = null;
        e.linked = false;
        count--;
    }

    /** Nanos until the next tick that has work, or -1 when the wheel is empty. */
    long nanosToNextTick(long nowNanos) {
        if (count == 0) return -1;
        long nextTickAt = startNanos + (currentTick + 1) * tickNanos;
        return Math.max(0, nextTickAt - nowNanos);
    }

    /** Processes every tick up to {@code nowNanos}, expiring due entries in arm order per slot. */
    void advance(long nowNanos) {
        long targetTick = (nowNanos - startNanos) / tickNanos;
        while (currentTick < targetTick) {
            currentTick++;
            if (count == 0) {
                currentTick = targetTick; // nothing armed: jump ahead
                return;
            }
            Head h = slots[(int) (currentTick & mask)];
            Entry e = h.next;
            while (e != h) {
                Entry next = e.next;
                if (e.rounds == 0) {
                    cancel(e);
                    e.expire(); // may re-arm e or cancel others; "next" stays valid unless cancelled
                } else {
                    e.rounds--;
                }
                // If the callback cancelled "next", restart from the head of the slot.
                e = (next.linked || next == h) ? next : h.next;
            }
        }
    }
}

package dev.gust.channels;

/**
 * Decides whether a thread about to park should first spin briefly, and learns from the outcome
 * (like HotSpot's adaptive spinning for monitors). One instance per channel.
 *
 * <p>Parking a virtual thread and unparking it from another carrier costs a continuation
 * yield, a scheduler submit and usually an OS-level wake-up of an idle carrier: about 1.5 us on a
 * small machine, ten times a hand-off. When the counterpart is <em>running</em> on another core
 * (a producer/consumer pair), a spin of well under a microsecond catches the hand-off and avoids
 * all of that. When it is not (more runnable routines than cores, or an idle channel), spinning
 * only steals the carrier the counterpart needs. So a spin that succeeds earns credit, one that
 * fails loses more, and without credit a thread parks at once, probing with a spin only now and
 * then to notice when things change. Policy, via the system property
 * {@code gust.channels.spin}: {@code adaptive} (default on machines with more than one CPU) or
 * {@code off}; {@code gust.channels.spinLimit} sets the iterations per spin.
 */
final class AdaptiveSpin {
    static final boolean ENABLED = Runtime.getRuntime().availableProcessors() > 1
            && !"off".equals(System.getProperty("gust.channels.spin", "adaptive"));
    static final int LIMIT = Integer.getInteger("gust.channels.spinLimit", 128);
    private static final int MAX_CREDIT = 16;
    private static final int PROBE_MASK = 63; // probe once every 64 parks without credit

    // Racy by design: a lost update only makes one more or one fewer spin.
    private int credit = 1;
    private int probe;

    static AdaptiveSpin create() {
        return ENABLED ? new AdaptiveSpin() : null;
    }

    /** Spins while {@code w} is waiting, if worthwhile; returns the waiter's state afterwards. */
    int spinWhile(Waiter w) {
        int c = credit;
        if (c <= 0 && (++probe & PROBE_MASK) != 0) {
            return w.state();
        }
        int s = w.state();
        for (int i = 0; i < LIMIT && s == Waiter.WAITING; i++) {
            Thread.onSpinWait();
            s = w.state();
        }
        if (s != Waiter.WAITING) {
            credit = c < 0 ? 1 : Math.min(c + 1, MAX_CREDIT);
        } else {
            credit = Math.max(c - 2, -1);
        }
        return s;
    }
}

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
 * fails loses it, and without credit a thread parks at once, probing with a spin only now and
 * then to notice when things change.
 *
 * <p>Buffered channels do not spin by default: a consumer that parks on an empty buffer lets the
 * producer fill it meanwhile and then drains a batch, which beats a spinning consumer taking one
 * element at a time in lockstep. Policy, via the system property {@code gust.channels.spin}:
 * {@code rendezvous} (default on machines with more than one CPU: rendezvous channels and selects
 * over them spin), {@code all} (buffered channels too) or {@code off}; {@code gust.channels.spinNanos} sets the spin budget (default 2000 ns).
 */
final class AdaptiveSpin {
    private static final String POLICY = System.getProperty("gust.channels.spin", "rendezvous");
    static final boolean ENABLED = Runtime.getRuntime().availableProcessors() > 1 && !"off".equals(POLICY);
    static final boolean BUFFERED = ENABLED && "all".equals(POLICY);
    /** Spin budget in nanoseconds (time-based: a PAUSE costs 1 to 40 ns depending on the CPU). */
    static final long BUDGET_NANOS = Long.getLong("gust.channels.spinNanos", 2000L);
    private static final int MAX_CREDIT = 8;
    private static final int PROBE_MASK = 15; // probe once every 16 parks without credit

    // Racy by design: a lost update only makes one more or one fewer spin.
    private int credit = 1;
    private int probe;

    /** A spin policy for a channel, or null for "always park at once". */
    static AdaptiveSpin create(boolean rendezvous) {
        return (rendezvous ? ENABLED : BUFFERED) ? new AdaptiveSpin() : null;
    }

    /** Spins while {@code w} is waiting, if worthwhile; returns the waiter's state afterwards. */
    int spinWhile(Waiter w) {
        int c = credit;
        if (c == 0 && (++probe & PROBE_MASK) != 0) {
            return w.state();
        }
        int s = w.state();
        if (s == Waiter.WAITING) {
            long deadline = System.nanoTime() + BUDGET_NANOS;
            do {
                for (int i = 0; i < 8 && s == Waiter.WAITING; i++) {
                    Thread.onSpinWait();
                    s = w.state();
                }
            } while (s == Waiter.WAITING && System.nanoTime() - deadline < 0);
        }
        // +1 / -1: keep spinning while more spins succeed than fail (a failed spin costs the
        // budget, a successful one saves a park/unpark of about the same cost or more)
        credit = s != Waiter.WAITING ? Math.min(c + 1, MAX_CREDIT) : Math.max(c - 1, 0);
        return s;
    }
}

package dev.gust.channels;

/**
 * Decides whether a thread about to park should first spin briefly, and learns from the outcome
 * (like HotSpot's adaptive spinning for monitors). One instance per channel.
 *
 * <p>When the counterpart is <em>running</em> on another core, a spin of a microsecond or two
 * catches the hand-off and saves a park/unpark. When it is not, spinning only burns the core. A
 * spin that succeeds earns credit, one that fails loses it, and without credit a thread parks at
 * once, probing with a spin only now and then.
 *
 * <p><b>Virtual threads do not spin by default.</b> Two routines exchanging messages often share
 * one carrier: then the counterpart cannot run while we spin, and parking at once (which runs it
 * on the same carrier) is the fast path. Measured on 2 cores, spinning virtual threads made the
 * median rendezvous hand-off slower even though the best case got faster (see
 * docs/bench-channels.md). Platform threads, whose park/unpark is an OS futex round trip, spin.
 * Buffered channels never spin by default: a consumer that parks on an empty buffer lets the
 * producer fill it meanwhile and then drains a batch.
 *
 * <p>Policy, via the system property {@code gust.channels.spin}: {@code platform} (default:
 * platform threads on rendezvous channels and selects), {@code rendezvous} (virtual threads too),
 * {@code all} (buffered channels too) or {@code off}. {@code gust.channels.spinNanos} sets the
 * spin budget (default 2000 ns); {@code gust.channels.yields} (experimental, default 0) makes a
 * virtual thread yield that many times before spinning.
 */
final class AdaptiveSpin {
    private static final String POLICY = System.getProperty("gust.channels.spin", "platform");
    static final boolean ENABLED = Runtime.getRuntime().availableProcessors() > 1 && !"off".equals(POLICY);
    static final boolean BUFFERED = ENABLED && "all".equals(POLICY);
    /** Whether virtual threads spin too. */
    static final boolean VIRTUAL = ENABLED && ("rendezvous".equals(POLICY) || "all".equals(POLICY));
    /** Spin budget in nanoseconds (time-based: a PAUSE costs 1 to 40 ns depending on the CPU). */
    static final long BUDGET_NANOS = Long.getLong("gust.channels.spinNanos", 2000L);
    static final int YIELDS = Integer.getInteger("gust.channels.yields", 0);
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
        for (int y = 0; y < YIELDS && s == Waiter.WAITING; y++) {
            Thread.yield();
            s = w.state();
        }
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

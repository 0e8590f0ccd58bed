package dev.gust.loop;

/**
 * How to listen.
 *
 * <pre>{@code
 * group.listen("0.0.0.0", 8080, ListenOptions.defaults().withDistribution(ListenOptions.Distribution.ACCEPTOR),
 *         loop -> SocketContext.create(loop, null, handler));
 * }</pre>
 *
 * @param backlog      the kernel's accept queue length
 * @param reusePort    SO_REUSEPORT, so several loops or processes can accept on one port
 * @param exclusive    refuse to share the port at all (no SO_REUSEADDR / SO_REUSEPORT)
 * @param distribution how a {@link LoopGroup} spreads accepted connections over its loops
 */
public record ListenOptions(int backlog, boolean reusePort, boolean exclusive, Distribution distribution) {

    /** How a {@link LoopGroup#listen} spreads connections over its loops; a single loop ignores it. */
    public enum Distribution {
        /**
         * Every loop listens on the port with SO_REUSEPORT and the kernel balances new connections
         * between them (by a hash of the addresses). The default; where the transport cannot set
         * SO_REUSEPORT the group falls back to {@link #ACCEPTOR} and logs it once per listen.
         */
        REUSE_PORT,
        /**
         * Loop 0 alone listens and hands each accepted connection to the next loop in round-robin
         * order (itself included), which then owns it. Even spreading without kernel support, at the
         * cost of one cross-loop message per connection.
         */
        ACCEPTOR
    }

    public ListenOptions {
        if (backlog <= 0) throw new IllegalArgumentException("backlog must be positive");
        if (reusePort && exclusive) throw new IllegalArgumentException("reusePort and exclusive exclude each other");
        if (distribution == null) throw new IllegalArgumentException("distribution is required");
    }

    /** Options without a distribution: {@link Distribution#REUSE_PORT}. */
    public ListenOptions(int backlog, boolean reusePort, boolean exclusive) {
        this(backlog, reusePort, exclusive, Distribution.REUSE_PORT);
    }

    /** Backlog 1024, SO_REUSEADDR, no SO_REUSEPORT (a group adds it), {@link Distribution#REUSE_PORT}. */
    public static ListenOptions defaults() {
        return new ListenOptions(1024, false, false, Distribution.REUSE_PORT);
    }

    public ListenOptions withBacklog(int b) {
        return new ListenOptions(b, reusePort, exclusive, distribution);
    }

    public ListenOptions withReusePort(boolean on) {
        return new ListenOptions(backlog, on, exclusive, distribution);
    }

    public ListenOptions withExclusive(boolean on) {
        return new ListenOptions(backlog, reusePort, on, distribution);
    }

    public ListenOptions withDistribution(Distribution d) {
        return new ListenOptions(backlog, reusePort, exclusive, d);
    }
}

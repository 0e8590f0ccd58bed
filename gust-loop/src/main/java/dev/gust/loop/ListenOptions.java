package dev.gust.loop;

/**
 * How to listen.
 *
 * @param backlog   the kernel's accept queue length
 * @param reusePort SO_REUSEPORT, so several loops or processes can accept on one port
 * @param exclusive refuse to share the port at all (no SO_REUSEADDR / SO_REUSEPORT)
 */
public record ListenOptions(int backlog, boolean reusePort, boolean exclusive) {
    public ListenOptions {
        if (backlog <= 0) throw new IllegalArgumentException("backlog must be positive");
        if (reusePort && exclusive) throw new IllegalArgumentException("reusePort and exclusive exclude each other");
    }

    public static ListenOptions defaults() {
        return new ListenOptions(1024, false, false);
    }

    public ListenOptions withBacklog(int b) {
        return new ListenOptions(b, reusePort, exclusive);
    }

    public ListenOptions withReusePort(boolean on) {
        return new ListenOptions(backlog, on, exclusive);
    }

    public ListenOptions withExclusive(boolean on) {
        return new ListenOptions(backlog, reusePort, on);
    }
}

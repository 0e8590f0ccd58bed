package dev.gust.runtime;

import dev.gust.loop.Loop;
import dev.gust.loop.LoopGroup;
import dev.gust.loop.LoopOptions;

/**
 * The loops that do the I/O of blocking streams ({@link TcpStream}, {@link TcpListener},
 * {@link UdpSocket}). By default every stream uses one process-wide group of
 * {@link LoopGroup#defaultSize()} loops, started lazily on daemon threads on first use; pass your
 * own group in {@link StreamOptions#withGroup} to isolate or size it.
 *
 * <pre>{@code
 * LoopGroup oneLoop = IoRuntime.startGroup(1);          // a dedicated group, loops on daemon threads
 * var options = StreamOptions.defaults().withGroup(oneLoop);
 * try (TcpListener listener = TcpListener.bind("127.0.0.1", 0, options)) { ... }
 * }</pre>
 */
public final class IoRuntime {
    /** Receive buffer of the loops this class starts: small, because blocking readers drain it per read. */
    static final int LOOP_READ_BUFFER = 64 * 1024;
    private static volatile LoopGroup defaultGroup;

    private IoRuntime() {}

    /** The shared default group, started on first call. */
    public static LoopGroup defaultGroup() {
        LoopGroup g = defaultGroup;
        if (g != null) return g;
        synchronized (IoRuntime.class) {
            if (defaultGroup == null) defaultGroup = startGroup(LoopGroup.defaultSize(), "gust-io");
            return defaultGroup;
        }
    }

    /** Starts a new group of {@code loops} loops on daemon threads (they do not keep the JVM alive). */
    public static LoopGroup startGroup(int loops) {
        return startGroup(loops, "gust-streams");
    }

    static LoopGroup startGroup(int loops, String name) {
        LoopOptions options = LoopOptions.defaults().withName(name).withReadBufferSize(LOOP_READ_BUFFER);
        LoopGroup group = LoopGroup.create(loops, options);
        for (Loop loop : group.loops()) {
            // Loop.start() makes non-daemon threads; a library's hidden loops must not keep the JVM alive.
            Thread.ofPlatform().daemon().name(loop.name()).start(loop::run);
        }
        for (Loop loop : group.loops()) {
            while (!loop.isRunning() && !loop.isClosed()) Thread.onSpinWait();
        }
        return group;
    }
}

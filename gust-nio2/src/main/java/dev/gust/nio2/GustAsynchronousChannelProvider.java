package dev.gust.nio2;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * An {@link AsynchronousChannelProvider} that runs unmodified NIO.2 code on Gust loops: every
 * {@link AsynchronousChannelGroup} is a Gust {@link dev.gust.loop.LoopGroup}, every channel a Gust
 * socket, and completion handlers run on the loop threads.
 *
 * <p>Select it for a whole JVM with the standard system property (nothing else changes):
 * <pre>{@code
 * java -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.gust.nio2.GustAsynchronousChannelProvider \
 *      -cp app.jar:gust-loop.jar:gust-nio2.jar com.example.Main
 * // in Main, untouched:
 * var server = AsynchronousServerSocketChannel.open().bind(new InetSocketAddress(9000));
 * server.accept(null, handler);   // handler runs on a Gust loop thread
 * }</pre>
 * or use it explicitly: {@code new GustAsynchronousChannelProvider().openAsynchronousSocketChannel(null)}.
 *
 * <p>The jar deliberately has no {@code META-INF/services} registration: the JDK's
 * {@code AsynchronousChannelProvider.provider()} takes the system property first, then the first
 * provider the system class loader's {@link java.util.ServiceLoader} finds, then its own. A service
 * file would silently switch every program that merely has gust-nio2 on its class path; with the
 * property required, the jar is harmless until asked for.
 *
 * <p>Completion handlers run on loop threads, which replace the JDK group's threads: like those,
 * they must not block. A handler that throws closes the channel it was called for (the exception is
 * logged); the loop carries on.
 *
 * <p>Groups: {@link AsynchronousChannelGroup#withFixedThreadPool withFixedThreadPool(n, factory)}
 * gives n loops whose threads the factory makes. {@code withCachedThreadPool(executor, initialSize)}
 * and {@code withThreadPool(executor)} give {@code initialSize} (else one per available processor)
 * loops on threads from the executor's thread factory when it is a
 * {@link java.util.concurrent.ThreadPoolExecutor} (else daemon threads); handlers still run on the
 * loops, not on the executor, which is only shut down when the group terminates, as the JDK
 * documents. Channels opened without a group share a lazily created default group of one loop per
 * available processor on daemon threads, so the JVM can exit.
 */
public class GustAsynchronousChannelProvider extends AsynchronousChannelProvider {
    /** The system property that selects a provider (standard Java). */
    public static final String PROPERTY = "java.nio.channels.spi.AsynchronousChannelProvider";

    /** A provider; cheap, all instances share the default group. */
    public GustAsynchronousChannelProvider() {}

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory)
            throws IOException {
        if (nThreads <= 0) throw new IllegalArgumentException("nThreads must be > 0, got " + nThreads);
        if (threadFactory == null) throw new NullPointerException("threadFactory");
        return GustChannelGroup.create(this, nThreads, threadFactory, null);
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize)
            throws IOException {
        if (executor == null) throw new NullPointerException("executor");
        int loops = initialSize > 0 ? initialSize : Runtime.getRuntime().availableProcessors();
        ThreadFactory factory = executor instanceof java.util.concurrent.ThreadPoolExecutor tpe
                ? tpe.getThreadFactory() : GustChannelGroup.daemonThreads("gust-nio2");
        return GustChannelGroup.create(this, loops, factory, executor);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return new GustServerSocketChannel(this, groupOf(group));
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return new GustSocketChannel(this, groupOf(group));
    }

    private static GustChannelGroup groupOf(AsynchronousChannelGroup group) {
        if (group == null) return GustChannelGroup.defaultGroup();
        if (!(group instanceof GustChannelGroup g)) throw new IllegalChannelGroupException();
        return g;
    }

    @Override
    public String toString() {
        return "GustAsynchronousChannelProvider";
    }
}

package dev.gust.bench.nio2;

import dev.gust.nio2.GustAsynchronousChannelProvider;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.spi.AsynchronousChannelProvider;

/**
 * The load harness's {@code nio2-jdk} and {@code nio2-gust} servers: {@link Nio2EchoServer} on a
 * fixed group of ONE thread (a fair one-loop comparison), made by the JDK's provider or by Gust's.
 */
public final class Nio2Peer {
    private Nio2Peer() {}

    /** {@code server} is {@code nio2-jdk} or {@code nio2-gust}; only {@code tcp-echo} is implemented. */
    public static void start(String server, String workload, int port) throws Exception {
        if (!workload.equals("tcp-echo")) throw new IllegalArgumentException(server + " does not implement " + workload);
        AsynchronousChannelProvider provider = switch (server) {
            case "nio2-jdk" -> AsynchronousChannelProvider.provider();
            case "nio2-gust" -> new GustAsynchronousChannelProvider();
            default -> throw new IllegalArgumentException("unknown server " + server);
        };
        if (server.equals("nio2-jdk") && provider instanceof GustAsynchronousChannelProvider) {
            throw new IllegalStateException("nio2-jdk must run on the JDK provider; unset -D" + GustAsynchronousChannelProvider.PROPERTY);
        }
        AsynchronousChannelGroup group = provider.openAsynchronousChannelGroup(1,
                Thread.ofPlatform().name(server + "-io").factory());
        Nio2EchoServer.start(group, new InetSocketAddress("127.0.0.1", port));
        System.out.println("READY " + server + " " + workload + " " + port + " provider " + provider.getClass().getName());
        System.out.flush();
        group.awaitTermination(Long.MAX_VALUE, java.util.concurrent.TimeUnit.DAYS);
    }
}

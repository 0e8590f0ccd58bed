package dev.gust.bench.peers;

import java.util.Locale;

/**
 * Starts one benchmark server in this JVM: {@code PeerMain SERVER WORKLOAD PORT}.
 *
 * <p>Workloads: {@code ws-echo} (WebSocket echo on any path), {@code ws-broadcast} (every message to every
 * connection, sender included), {@code http} (GET / answers "Hello, World!" text/plain, keep-alive),
 * {@code tcp-echo} (raw TCP echo), {@code ws-idle} (same as ws-echo; used for memory runs).
 *
 * <p>Servers and their threading (the orchestrator also pins every server to one CPU with taskset):
 * <ul>
 * <li>{@code gust}: exactly what {@code ./gust serve echo|broadcast|hello} runs, with {@code --loops 1} (one loop thread).
 * <li>{@code gust-loop}: tcp-echo on the loop core ({@code SocketContext} echo), one loop thread.
 * <li>{@code netty-nio}, {@code netty-epoll}, {@code netty-iouring}: one {@code MultiThreadIoEventLoopGroup} with
 *     one thread for accept and I/O.
 * <li>{@code jetty}: Jetty 12.1, one selector, no acceptor thread, QueuedThreadPool of 8 (Jetty needs a few).
 * <li>{@code vertx}: Vert.x 5.0, one event loop, native transport preferred (epoll).
 * <li>{@code helidon}: Helidon SE 4 WebServer, a virtual thread per connection (its only model).
 * <li>{@code jdk-vthreads}: tcp-echo, {@code ServerSocket} with a virtual thread per connection.
 * </ul>
 */
public final class PeerMain {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PeerMain gust|gust-nio|gust-epoll|gust-iouring|gust-loop|netty-nio|netty-epoll|netty-iouring|jetty|vertx|helidon|jdk-vthreads"
                    + " ws-echo|ws-broadcast|ws-idle|http|tcp-echo PORT");
            System.exit(2);
        }
        String server = args[0].toLowerCase(Locale.ROOT);
        String workload = args[1].toLowerCase(Locale.ROOT);
        if (workload.equals("ws-idle")) workload = "ws-echo";
        int port = Integer.parseInt(args[2]);
        switch (server) {
            case "gust" -> GustPeer.start(workload, port);
            case "gust-nio", "gust-epoll", "gust-iouring" -> { // one transport pinned, for the transport table
                System.setProperty("gust.transport", server.equals("gust-iouring") ? "io_uring" : server.substring(5));
                GustPeer.start(workload, port);
            }
            case "gust-loop" -> GustPeer.startLoopEcho(workload, port);
            case "netty-nio", "netty-epoll", "netty-iouring" -> NettyPeer.start(server.substring(6), workload, port);
            case "jetty" -> JettyPeer.start(workload, port);
            case "vertx" -> VertxPeer.start(workload, port);
            case "helidon" -> HelidonPeer.start(workload, port);
            case "jdk-vthreads" -> JdkPeer.start(workload, port);
            case "nio2-jdk", "nio2-gust" -> dev.gust.bench.nio2.Nio2Peer.start(server, workload, port);
            case "gust-streams" -> dev.gust.bench.streams.StreamsPeer.start(workload, port);
            default -> throw new IllegalArgumentException("unknown server " + server);
        }
    }

    static IllegalArgumentException unsupported(String server, String workload) {
        return new IllegalArgumentException(server + " does not implement " + workload);
    }

    static final byte[] HELLO = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static void ready(String server, String workload, int port) {
        System.out.println("READY " + server + " " + workload + " " + port);
        System.out.flush();
    }
}

package dev.gust.bench.peers;

import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import java.nio.ByteBuffer;

/**
 * Gust: WebSocket/HTTP through {@code ./gust serve} itself; TCP echo on the loop core. Always ONE
 * loop thread: the spec compares one Gust loop against the peers, so {@code --loops 1} is passed
 * explicitly (the CLI's own default is one loop per processor).
 */
final class GustPeer {
    private GustPeer() {}

    static void start(String workload, int port) throws Exception {
        String kind = switch (workload) {
            case "ws-echo" -> "echo";
            case "ws-broadcast" -> "broadcast";
            case "http" -> "hello";
            case "tcp-echo" -> { startLoopEcho(workload, port); yield null; }
            default -> throw PeerMain.unsupported("gust", workload);
        };
        if (kind == null) return;
        // the very code path of `./gust serve KIND --port P` (it prints its own "listening" line)
        dev.gust.cli.Main.main(new String[] {"serve", kind, "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--loops", "1"});
    }

    static void startLoopEcho(String workload, int port) {
        if (!workload.equals("tcp-echo")) throw PeerMain.unsupported("gust-loop", workload);
        Loop loop = Loop.create();
        SocketContext.create(loop, null, new SocketHandler<Void>() {
            @Override
            public void onData(Socket<Void> s, ByteBuffer data) {
                s.write(data);
            }
        }).listen("127.0.0.1", port);
        PeerMain.ready("gust-loop", workload, port);
        loop.run();
    }
}

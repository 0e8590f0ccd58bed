package dev.gust.cli;

import dev.gust.websocket.App;
import dev.gust.websocket.Compression;
import dev.gust.websocket.Gust;
import dev.gust.websocket.WebSocketBehavior;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./gust serve echo|broadcast|hello}: the reference servers used by examples, conformance and benchmarks. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run a reference server:",
            "  echo       sends every WebSocket message back to its sender (any path)",
            "  broadcast  every WebSocket subscribes to one topic; each message goes to all, sender included",
            "  hello      answers HTTP GET / with 'Hello, World!' (text/plain, keep-alive)"})
final class ServeCommand implements Callable<Integer> {
    enum Kind { echo, broadcast, hello }

    @Parameters(index = "0", description = "echo | broadcast | hello")
    Kind kind;

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE})", defaultValue = "9001")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--compression", description = ServerSupport.COMPRESSION_HELP, defaultValue = "off")
    String compression;

    @Option(names = "--max-payload", description = "Largest WebSocket message in bytes (default: ${DEFAULT-VALUE})",
            defaultValue = "16777216")
    int maxPayload;

    @Option(names = "--redis", description = "Join a cluster: relay pub/sub through Redis at this URL (e.g. redis://127.0.0.1:6379)")
    String redis;

    @Option(names = "--transport", description = "I/O transport: nio, epoll or io_uring (default: epoll on Linux, else nio)")
    String transport;

    @Option(names = "--loops", paramLabel = "N", description = ServerSupport.LOOPS_HELP)
    Integer loops;

    @Mixin
    TlsMixin tls = new TlsMixin();

    /** The running app, once listening (tests stop it through this). */
    volatile App app;

    @Override
    public Integer call() {
        if (!ServerSupport.chooseTransport(transport)) return 2;
        int loopCount = ServerSupport.chooseLoops(loops);
        if (loopCount < 0) return 2;
        Compression mode = ServerSupport.chooseCompression("serve", compression);
        if (mode == null) return 2;
        App app = Gust.app(loopCount);
        switch (kind) {
            case echo -> app.ws("/*", WebSocketBehavior.builder().maxPayloadLength(maxPayload).compression(mode)
                    .message((ws, msg) -> ws.send(msg)).build());
            case broadcast -> app.ws("/*", WebSocketBehavior.builder().maxPayloadLength(maxPayload).compression(mode)
                    .open(ws -> ws.subscribe("broadcast"))
                    .message((ws, msg) -> app.publish("broadcast", msg)).build());
            case hello -> {
                // One reused view per loop thread (end() sends or copies it at once); a view shared by
                // the loops would have its position moved under it by another loop.
                ThreadLocal<ByteBuffer> body = ThreadLocal.withInitial(() -> ByteBuffer.wrap(ServerSupport.HELLO_BYTES));
                app.get("/", (req, res) -> res.header("Content-Type", "text/plain").end(body.get().clear()));
            }
        }
        if (!ServerSupport.applyTls(app, tls)) return 2;
        if (redis != null && !ServerSupport.joinCluster(app, redis)) return 2;
        if (ServerSupport.listenOrExplain(() -> app.listen(host, port), host, port) == null) return 2;
        System.out.println("gust serve " + kind + ": listening on " + (kind == Kind.hello ? tls.httpScheme() : tls.wsScheme()) + "://"
                + host + ":" + app.port() + "/" + (kind == Kind.hello ? "" : " (compression " + compression + ")")
                + " on " + loopCount + (loopCount == 1 ? " loop" : " loops"));
        this.app = app;
        ServerSupport.closeOnSignal(app::close);
        ServerSupport.awaitClose(app);
        return 0;
    }
}

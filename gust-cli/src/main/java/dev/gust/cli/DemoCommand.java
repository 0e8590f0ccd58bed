package dev.gust.cli;

import dev.gust.websocket.App;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./gust demo}: the chat demo on its defaults. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the chat demo (page + WebSocket rooms) and print where to point a browser.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE})", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--redis", description = "Join a cluster: relay pub/sub through Redis at this URL (e.g. redis://127.0.0.1:6379)")
    String redis;

    @Option(names = "--transport", description = "I/O transport: nio, epoll or io_uring (default: epoll on Linux, else nio)")
    String transport;

    @Option(names = "--compression", description = ServerSupport.COMPRESSION_HELP, defaultValue = "off")
    String compression;

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
        dev.gust.websocket.Compression mode = ServerSupport.chooseCompression("demo", compression);
        if (mode == null) return 2;
        App app = ChatDemo.create(loopCount, mode);
        if (!ServerSupport.applyTls(app, tls)) return 2;
        if (redis != null && !ServerSupport.joinCluster(app, redis)) return 2;
        if (ServerSupport.listenOrExplain(() -> app.listen(host, port), host, port) == null) return 2;
        System.out.println("gust demo: chat with rooms at " + tls.httpScheme() + "://" + host + ":" + app.port()
                + "/  on " + loopCount + (loopCount == 1 ? " loop" : " loops") + ", compression " + compression + " (open it in two browser tabs; Ctrl-C stops it)");
        this.app = app;
        ServerSupport.closeOnSignal(app::close);
        ServerSupport.awaitClose(app);
        return 0;
    }
}

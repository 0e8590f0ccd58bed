package dev.gust.cli;

import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.SocketContext;
import dev.gust.loop.SocketHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gust demo}: the demo server on its defaults. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo server and print where to point a client.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE})", defaultValue = "9001")
    int port;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Override
    public Integer call() {
        Loop loop = Loop.create();
        var ctx = SocketContext.create(loop, null, new SocketHandler<Void>() {
            @Override
            public void onData(Socket<Void> s, ByteBuffer data) {
                s.write(data);
            }
        });
        var listener = ServerSupport.listenOrExplain(() -> ctx.listen(host, port), host, port);
        if (listener == null) return 2;
        System.out.println("gust demo: TCP echo server on " + host + ":" + listener.port()
                + " (try: nc " + host + " " + listener.port() + "); Ctrl-C stops it");
        ServerSupport.closeOnSignal(loop);
        loop.run();
        return 0;
    }
}

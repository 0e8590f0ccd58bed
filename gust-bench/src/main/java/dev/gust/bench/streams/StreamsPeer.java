package dev.gust.bench.streams;

import dev.gust.runtime.IoRuntime;
import dev.gust.runtime.StreamOptions;
import dev.gust.runtime.TcpListener;
import dev.gust.runtime.TcpStream;
import java.io.IOException;

/**
 * The {@code gust-streams} load-harness server: tcp-echo with Gust's blocking streams, one virtual
 * thread per connection doing read/writeAll, on a one-loop group. The same program as the
 * {@code jdk-vthreads} peer (ServerSocket + a virtual thread per connection), so the difference is
 * the socket implementation underneath.
 */
public final class StreamsPeer {
    private StreamsPeer() {}

    public static void start(String workload, int port) throws IOException {
        if (!workload.equals("tcp-echo")) throw new IllegalArgumentException("gust-streams does not implement " + workload);
        StreamOptions options = StreamOptions.defaults().withGroup(IoRuntime.startGroup(1)).withBacklog(4096);
        try (TcpListener listener = TcpListener.bind("127.0.0.1", port, options)) {
            System.out.println("READY gust-streams " + workload + " " + port);
            System.out.flush();
            while (true) {
                TcpStream s = listener.accept();
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    static void echo(TcpStream s) {
        byte[] buf = new byte[64 * 1024];
        try (s) {
            int n;
            while ((n = s.read(buf)) > 0) s.writeAll(buf, 0, n);
        } catch (IOException ignored) {
            // peer went away
        }
    }
}

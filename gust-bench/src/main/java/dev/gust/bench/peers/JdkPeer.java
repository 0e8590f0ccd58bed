package dev.gust.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** JDK blocking sockets, a virtual thread per connection (the "just use Loom" baseline). */
final class JdkPeer {
    private JdkPeer() {}

    static void start(String workload, int port) throws Exception {
        if (!workload.equals("tcp-echo")) throw PeerMain.unsupported("jdk-vthreads", workload);
        try (ServerSocket ss = new ServerSocket(port, 4096, InetAddress.getByName("127.0.0.1"))) {
            PeerMain.ready("jdk-vthreads", workload, port);
            while (true) {
                Socket s = ss.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    static void echo(Socket s) {
        byte[] buf = new byte[64 * 1024];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
        } catch (IOException ignored) {
            // peer went away
        }
    }
}

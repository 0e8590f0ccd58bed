package dev.gust.conformance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately sloppy echo server for checking that the suite fails what Autobahn fails: it echoes every frame as
 * it came (reserved bits, reserved opcodes, invalid UTF-8 and all), answers pings, and answers a close with 1000
 * whatever the close frame said.
 */
final class NaiveEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final boolean keepTcpOpenAfterClose;

    NaiveEchoServer() throws IOException { this(false); }

    /** {@code keepTcpOpenAfterClose}: after the closing handshake, wait for the client to drop TCP (a server must not). */
    NaiveEchoServer(boolean keepTcpOpenAfterClose) throws IOException {
        this.keepTcpOpenAfterClose = keepTcpOpenAfterClose;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    java.net.URI uri() { return java.net.URI.create("ws://127.0.0.1:" + server.getLocalPort()); }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String key = null;
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) return;
                if (c == '\n') {
                    String l = line.toString().trim();
                    if (l.isEmpty()) break;
                    if (l.toLowerCase().startsWith("sec-websocket-key:")) key = l.substring(18).trim();
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + Connection.expectedAccept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            while (true) {
                int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) len = in.readUnsignedShort();
                else if (len == 127) len = in.readLong();
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) in.readFully(mask);
                byte[] p = new byte[(int) len];
                in.readFully(p);
                for (int i = 0; i < p.length; i++) p[i] ^= mask[i & 3];
                int opcode = b0 & 0x0f;
                if (opcode == 8) {
                    out.write(frame(0x88, new byte[] {0x03, (byte) 0xe8}));
                    if (keepTcpOpenAfterClose) in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
                out.write(frame(opcode == 9 ? (b0 & 0xf0) | 0x0a : b0, p));
            }
        } catch (IOException e) {
            // connection over
        }
    }

    private static byte[] frame(int b0, byte[] p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(b0);
        if (p.length <= 125) b.write(p.length);
        else if (p.length <= 0xffff) { b.write(126); b.write(p.length >> 8); b.write(p.length); }
        else { b.write(127); for (int sh = 56; sh >= 0; sh -= 8) b.write((int) ((long) p.length >> sh)); }
        b.writeBytes(p);
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException { server.close(); }
}

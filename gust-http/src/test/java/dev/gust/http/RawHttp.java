package dev.gust.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test helper: a raw TCP client that speaks HTTP/1.1 byte by byte, to send exactly the bad input we mean. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    RawHttp send(String s) throws IOException {
        socket.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response (head + Content-Length or chunked body) and returns it as text. */
    Response read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed before a full head; got: " + head);
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(h.substring(9, 12));
        String lower = h.toLowerCase();
        byte[] body;
        int cl = lower.indexOf("content-length:");
        if (lower.contains("transfer-encoding: chunked")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String line = readLine();
                int size = Integer.parseInt(line.trim(), 16);
                if (size == 0) {
                    readLine();
                    break;
                }
                out.write(in.readNBytes(size));
                readLine();
            }
            body = out.toByteArray();
        } else if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl);
            int n = Integer.parseInt(h.substring(cl + 15, end).trim());
            body = in.readNBytes(n);
        } else {
            body = new byte[0];
        }
        return new Response(status, h, new String(body, StandardCharsets.UTF_8));
    }

    /** Reads only a response head (for HEAD requests and 100 Continue). */
    Response readHeadOnly() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        return new Response(Integer.parseInt(h.substring(9, 12)), h, "");
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') if (b != '\r') sb.append((char) b);
        return sb.toString();
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Response(int status, String head, String body) {
        boolean hasHeader(String nameValue) {
            return head.toLowerCase().contains(nameValue.toLowerCase());
        }
    }
}

package dev.gust.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Test helper: a raw WebSocket client that can send any bytes (valid or not) and read frames exactly. */
final class RawWs implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    String handshakeResponse;

    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private RawWs(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects and completes a valid handshake; fails if the server does not answer 101. */
    static RawWs connect(int port, String path) throws IOException {
        RawWs ws = new RawWs(port);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        ws.raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        ws.handshakeResponse = ws.readHead();
        if (!ws.handshakeResponse.startsWith("HTTP/1.1 101")) throw new IOException("no 101: " + ws.handshakeResponse);
        return ws;
    }

    /** Opens a TCP connection and sends {@code request} verbatim; returns the raw client. */
    static RawWs request(int port, String request) throws IOException {
        RawWs ws = new RawWs(port);
        ws.raw(request);
        return ws;
    }

    RawWs raw(String s) throws IOException {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawWs raw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("closed during head: " + head);
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Builds a client frame: masked unless {@code masked} is false. */
    static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            f.write(maskBit | n);
        } else if (n < 65536) {
            f.write(maskBit | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) n >>> (8 * i)));
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) f.write(key, 0, 4);
        for (int i = 0; i < n; i++) f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return f.toByteArray();
    }

    RawWs sendText(String s) throws IOException {
        return raw(frame(0x81, s.getBytes(StandardCharsets.UTF_8), true));
    }

    RawWs sendFrame(int firstByte, byte[] payload) throws IOException {
        return raw(frame(firstByte, payload, true));
    }

    RawWs sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return sendFrame(0x88, p);
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
        long len = b1 & 0x7F;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, payload);
    }

    /** Reads frames until a close frame; returns it. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 8) return f;
        }
    }

    /** True if the server closed TCP (EOF or reset) within the socket timeout. */
    boolean serverClosedTcp() {
        try {
            while (true) {
                if (in.read() < 0) return true;
            }
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

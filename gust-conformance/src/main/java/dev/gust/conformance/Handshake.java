package dev.gust.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** The client's opening handshake (RFC 6455 4.1), with an optional permessage-deflate offer (RFC 7692). */
final class Handshake {
    private Handshake() {}

    /** The open socket, its buffered input (which may already hold frames), the negotiated extension if any. */
    record Result(Socket socket, InputStream in, PerMessageDeflate deflate, String extensions) {}

    /** Opens TCP and runs the opening handshake; the server must answer 101 with the right accept key. */
    static Result open(URI uri, String agentPath, PerMessageDeflate.Offers offer) throws IOException {
        String extensionOffer = offer == null ? null : offer.header();
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()), 5000);
        s.setSoTimeout(5000);
        String key = Base64.getEncoder().encodeToString(randomBytes(16));
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + agentPath;
        StringBuilder req = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (extensionOffer != null) req.append("Sec-WebSocket-Extensions: ").append(extensionOffer).append("\r\n");
        req.append("\r\n");
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        BufferedInputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        List<String> head = readHead(in);
        if (head.isEmpty() || !head.get(0).matches("HTTP/1\\.1 101( .*)?")) {
            s.close();
            throw new IOException("opening handshake failed: " + (head.isEmpty() ? "no response" : head.get(0)));
        }
        String accept = header(head, "sec-websocket-accept");
        if (!expectedAccept(key).equals(accept)) {
            s.close();
            throw new IOException("opening handshake failed: bad Sec-WebSocket-Accept " + accept);
        }
        String ext = header(head, "sec-websocket-extensions");
        PerMessageDeflate pmd = null;
        if (ext != null && !ext.isBlank()) {
            if (offer == null) { s.close(); throw new IOException("server chose an extension that was not offered: " + ext); }
            pmd = PerMessageDeflate.accept(offer, ext);
            if (pmd == null) { s.close(); throw new IOException("server's permessage-deflate response is invalid: " + ext); }
        }
        s.setSoTimeout(0);
        return new Result(s, in, pmd, ext);
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c, prev = -1;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && prev == '\r') {
                byte[] b = line.toByteArray();
                String l = new String(b, 0, b.length - 1, StandardCharsets.ISO_8859_1);
                if (l.isEmpty()) return lines;
                lines.add(l);
                line.reset();
            } else {
                line.write(c);
            }
            prev = c;
            if (line.size() > 16384) break;
        }
        throw new IOException("connection closed during the opening handshake");
    }

    private static String header(List<String> head, String name) {
        String found = null;
        for (String l : head.subList(1, head.size())) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                String v = l.substring(colon + 1).trim();
                found = found == null ? v : found + ", " + v;
            }
        }
        return found;
    }

    static String expectedAccept(String key) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

}

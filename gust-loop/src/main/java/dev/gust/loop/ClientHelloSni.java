package dev.gust.loop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the server name (SNI) from the first bytes of a TLS connection, the ClientHello.
 *
 * <p>Why: the JDK's {@code SSLEngine} cannot switch its {@code SSLContext} once created, but
 * {@link TlsOptions#sni()} picks a whole context by name. So a server with an SNI selector
 * buffers the first record, peeks at the ClientHello's {@code server_name} extension, and only then
 * creates the engine from the chosen context. Only the first record is parsed (a ClientHello
 * practically always fits); anything unparsable means "no name" and the engine then judges the bytes.
 */
final class ClientHelloSni {
    /** Returned when the bytes are not (or not yet recognisably) a ClientHello with a host name. */
    static final String NONE = "";

    private static final int HANDSHAKE = 22, CLIENT_HELLO = 1, SERVER_NAME = 0, HOST_NAME = 0;
    private static final int MAX_RECORD = 16384 + 2048;

    private ClientHelloSni() {}

    /**
     * @param buf the bytes received so far, in read mode (not consumed)
     * @return the requested host name in lower case; {@link #NONE} when there is none (or the bytes are
     * not a ClientHello); null when more bytes are needed to tell
     */
    static String serverName(ByteBuffer buf) {
        int start = buf.position(), available = buf.remaining();
        if (available < 5) return available > 0 && (buf.get(start) & 0xff) != HANDSHAKE ? NONE : null;
        if ((buf.get(start) & 0xff) != HANDSHAKE) return NONE;
        int recordLength = u16(buf, start + 3);
        if (recordLength > MAX_RECORD) return NONE;
        if (available < 5 + recordLength) return null;
        try {
            return parseHello(buf, start + 5, start + 5 + recordLength);
        } catch (IndexOutOfBoundsException truncated) {
            return NONE; // the hello continues in a later record, or is malformed: let the engine decide
        }
    }

    private static String parseHello(ByteBuffer b, int p, int end) {
        if ((b.get(p) & 0xff) != CLIENT_HELLO) return NONE;
        p += 4;                     // type, 24-bit length
        p += 2 + 32;                // client_version, random
        p += 1 + u8(b, p, end);     // session_id
        p += 2 + u16(b, p, end);    // cipher_suites
        p += 1 + u8(b, p, end);     // compression_methods
        if (p == end) return NONE;  // no extensions
        int extensionsEnd = Math.min(end, p + 2 + u16(b, p, end));
        p += 2;
        while (p + 4 <= extensionsEnd) {
            int type = u16(b, p, end), length = u16(b, p + 2, end);
            p += 4;
            if (type == SERVER_NAME) return hostName(b, p, Math.min(end, p + length));
            p += length;
        }
        return NONE;
    }

    private static String hostName(ByteBuffer b, int p, int end) {
        int listEnd = Math.min(end, p + 2 + u16(b, p, end));
        p += 2;
        while (p + 3 <= listEnd) {
            int nameType = u8(b, p, end), length = u16(b, p + 1, end);
            p += 3;
            if (p + length > listEnd) return NONE;
            if (nameType == HOST_NAME) {
                byte[] name = new byte[length];
                b.get(p, name);
                return new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            }
            p += length;
        }
        return NONE;
    }

    private static int u8(ByteBuffer b, int i, int end) {
        if (i >= end) throw new IndexOutOfBoundsException();
        return b.get(i) & 0xff;
    }

    private static int u16(ByteBuffer b, int i, int end) {
        if (i + 2 > end) throw new IndexOutOfBoundsException();
        return u16(b, i);
    }

    private static int u16(ByteBuffer b, int i) {
        return ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }
}

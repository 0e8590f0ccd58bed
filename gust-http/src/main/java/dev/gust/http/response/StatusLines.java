package dev.gust.http.response;

import dev.gust.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Pre-encoded {@code HTTP/1.1 <code> <reason>\r\n} lines, so writing one is a single bulk put. */
final class StatusLines {
    private StatusLines() {}

    private static final byte[][] LINES = new byte[600][];

    static {
        for (int code = 100; code < 600; code++) {
            String reason = HttpStatus.reason(code);
            if (!reason.isEmpty()) {
                LINES[code] = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    static void write(ByteBuffer out, int status) {
        if (!HttpStatus.isValid(status)) throw new IllegalArgumentException("invalid status code " + status);
        byte[] line = LINES[status];
        if (line != null) {
            out.put(line);
            return;
        }
        // An unnamed code: the reason phrase is optional (RFC 9112 §4).
        out.put((byte) 'H').put((byte) 'T').put((byte) 'T').put((byte) 'P').put((byte) '/')
           .put((byte) '1').put((byte) '.').put((byte) '1').put((byte) ' ')
           .put((byte) ('0' + status / 100)).put((byte) ('0' + status / 10 % 10)).put((byte) ('0' + status % 10))
           .put((byte) ' ').put((byte) '\r').put((byte) '\n');
    }
}

package dev.gust.websocket.deflate;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses whole permessage-deflate messages (RFC 7692 section 7.2.2) with a hard cap: output
 * grows with what actually inflates and stops one byte past {@code maxLength}, so a small frame
 * that would inflate to gigabytes costs at most {@code maxLength} bytes of memory before it is
 * refused.
 *
 * <p>With {@code resetEachMessage} (the peer compresses without context takeover) one instance can
 * serve every connection of a loop; otherwise it keeps the peer's window (32 KiB plus about 7 KiB
 * of native state) and belongs to one connection. A 15-bit window inflates streams made with any
 * smaller window.
 *
 * <pre>{@code
 * ByteBuffer plain = inflater.inflate(compressed, 16 << 20);
 * if (plain == null) closeWith(1009);        // too big
 * }</pre>
 *
 * <p>Single-threaded.
 */
public final class MessageInflater implements AutoCloseable {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int RETAINED_OUTPUT = 64 * 1024;

    private final Inflater inflater = new Inflater(true);
    private final boolean resetEachMessage;
    private byte[] out = new byte[1024];

    public MessageInflater(boolean resetEachMessage) {
        this.resetEachMessage = resetEachMessage;
    }

    /**
     * Inflates position..limit of {@code compressed} (consumed). Returns a view on an internal
     * buffer valid until the next call, or null when the message is longer than {@code maxLength}.
     *
     * @throws DataFormatException when the data is not valid deflate (close with 1007)
     */
    public ByteBuffer inflate(ByteBuffer compressed, int maxLength) throws DataFormatException {
        if (out.length > RETAINED_OUTPUT) out = new byte[1024];
        int length = 0;
        boolean tailGiven = false;
        try {
            inflater.setInput(compressed);
            while (true) {
                if (length == out.length) {
                    if (length > maxLength) return tooBig();
                    out = java.util.Arrays.copyOf(out, (int) Math.min((long) maxLength + 1, out.length * 2L));
                }
                int n = inflater.inflate(out, length, out.length - length);
                length += n;
                if (length > maxLength) return tooBig();
                if (inflater.finished()) break; // a final block: the message ends here
                if (n == 0 && inflater.needsInput()) {
                    if (tailGiven) break;
                    inflater.setInput(TAIL);
                    tailGiven = true;
                } else if (n == 0 && inflater.needsDictionary()) {
                    throw new DataFormatException("preset dictionary requested");
                }
            }
        } catch (DataFormatException e) {
            inflater.reset();
            throw e;
        }
        if (resetEachMessage || inflater.finished()) inflater.reset();
        return ByteBuffer.wrap(out, 0, length);
    }

    private ByteBuffer tooBig() {
        inflater.reset();
        out = new byte[1024]; // give the capped buffer back
        return null;
    }

    @Override
    public void close() {
        inflater.end();
    }
}

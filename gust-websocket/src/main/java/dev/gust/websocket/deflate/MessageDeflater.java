package dev.gust.websocket.deflate;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 section 7.2.1): raw deflate, a sync
 * flush per message, the trailing {@code 00 00 ff ff} removed.
 *
 * <p>With {@code resetEachMessage} (no context takeover) each message is compressed on its own, so
 * one instance can serve every connection of a loop and the same bytes are valid for every peer;
 * otherwise the LZ77 window carries over between messages and the instance belongs to one
 * connection. Memory: java.util.zip's raw deflate uses a 15-bit window at memLevel 8 (neither can
 * be chosen from Java), about 260 KiB of native memory per instance, plus the output buffer.
 *
 * <pre>{@code
 * var deflater = new MessageDeflater(true);
 * ByteBuffer compressed = deflater.compress(payload);   // valid until the next call
 * }</pre>
 *
 * <p>Single-threaded.
 */
public final class MessageDeflater implements AutoCloseable {
    private static final int RETAINED_OUTPUT = 64 * 1024;
    private static final LongAdder MESSAGES = new LongAdder();

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final boolean resetEachMessage;
    private byte[] out = new byte[1024];

    public MessageDeflater(boolean resetEachMessage) {
        this.resetEachMessage = resetEachMessage;
    }

    /** Messages compressed by every instance in this JVM (for tests and metrics). */
    public static long messagesCompressed() {
        return MESSAGES.sum();
    }

    /**
     * Compresses position..limit of {@code payload} (left unchanged); the result is a view on an
     * internal buffer, valid until the next call.
     */
    public ByteBuffer compress(ByteBuffer payload) {
        MESSAGES.increment();
        if (out.length > RETAINED_OUTPUT) out = new byte[1024];
        deflater.setInput(payload.duplicate());
        int length = 0;
        // A sync flush is complete once deflate returns with output space left over.
        do {
            if (length == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
        } while (length == out.length);
        if (resetEachMessage) deflater.reset();
        // The flush ends with an empty stored block 00 00 ff ff, which the receiver appends again.
        return ByteBuffer.wrap(out, 0, length - 4);
    }

    @Override
    public void close() {
        deflater.end();
    }
}

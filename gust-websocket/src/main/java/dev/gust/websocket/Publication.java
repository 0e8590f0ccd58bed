package dev.gust.websocket;

import dev.gust.websocket.deflate.LoopCodecs;
import dev.gust.websocket.frame.FrameWriter;
import dev.gust.websocket.frame.PreparedMessage;
import java.nio.ByteBuffer;

/**
 * One publish on its way to the subscribers: the payload, framed on first need once uncompressed
 * and once compressed (no context takeover, so the same bytes suit every subscriber that resets
 * its compressor per message), whatever the number of subscribers. Loop thread only.
 *
 * <p>The loop's {@link PubSub} reuses one publication (and its direct frame buffer) for every
 * top-level publish, so an uncompressed publish allocates nothing: each delivery writes the frame
 * at once (to the kernel, the cork buffer or an outbox), so the buffer is free again when the publish
 * returns. A publish nested in a delivery callback gets a fresh publication.
 */
final class Publication {
    /** Frames up to this size go through the reusable buffer; larger ones get their own. */
    private static final int MAX_REUSED_FRAME = 1 << 20;

    private OpCode opcode;
    private ByteBuffer payload;
    private ByteBuffer reusable; // null for one-off publications
    private ByteBuffer plain, compressed; // the frames, reset per delivery

    /** A one-off publication (nested publishes). */
    Publication(OpCode opcode, ByteBuffer payload) {
        reset(opcode, payload);
    }

    /** The loop's reusable publication, with a direct frame buffer of {@code capacity} bytes to start. */
    Publication(int capacity) {
        this.reusable = ByteBuffer.allocateDirect(capacity);
    }

    Publication reset(OpCode opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload;
        this.plain = null;
        this.compressed = null;
        return this;
    }

    OpCode opcode() {
        return opcode;
    }

    /** A fresh view of the payload (for subscribers that compress for themselves). */
    ByteBuffer payload() {
        return payload.duplicate();
    }

    int payloadLength() {
        return payload.remaining();
    }

    ByteBuffer plainFrame() {
        if (plain == null) {
            int length = payload.remaining();
            int frameLength = FrameWriter.headerLength(length, false) + length;
            if (reusable != null && frameLength <= MAX_REUSED_FRAME) {
                if (reusable.capacity() < frameLength) reusable = ByteBuffer.allocateDirect(Math.max(frameLength, reusable.capacity() * 2));
                ByteBuffer frame = reusable.clear();
                FrameWriter.writeHeader(frame, opcode, true, 0, length);
                int start = payload.position();
                frame.put(payload);
                payload.position(start);
                plain = frame.flip();
            } else {
                plain = PreparedMessage.of(opcode, payload, false, false).frame();
            }
        }
        return plain;
    }

    ByteBuffer compressedFrame() {
        if (compressed == null) {
            // Copied into the prepared frame at once: the loop's compressor output is reused.
            ByteBuffer deflated = LoopCodecs.deflater().compress(payload);
            compressed = PreparedMessage.of(opcode, deflated, true, false).frame();
        }
        return compressed;
    }
}

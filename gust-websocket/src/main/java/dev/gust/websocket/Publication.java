package dev.gust.websocket;

import dev.gust.websocket.deflate.LoopCodecs;
import dev.gust.websocket.frame.PreparedMessage;
import java.nio.ByteBuffer;

/**
 * One publish on its way to the subscribers: the payload, framed on first need once uncompressed
 * and once compressed (no context takeover, so the same bytes suit every subscriber that resets
 * its compressor per message), whatever the number of subscribers. Loop thread only.
 */
final class Publication {
    private final OpCode opcode;
    private final ByteBuffer payload;
    private ByteBuffer plain, compressed; // views, reset per delivery

    Publication(OpCode opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload;
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
        if (plain == null) plain = PreparedMessage.of(opcode, payload, false, false).frame();
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

package dev.gust.websocket.frame;

import dev.gust.websocket.CloseCodes;
import dev.gust.websocket.OpCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Serialises frames: server frames unmasked, client frames masked with a caller-supplied key, with
 * the minimal 7/16/64-bit length form.
 *
 * <p>The usual way to send a large payload is to write only the header into a small buffer and hand
 * both buffers to a gather write, so the payload is never copied:
 *
 * <pre>{@code
 * ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_LENGTH);
 * FrameWriter.writeHeader(header, OpCode.BINARY, true, 0, payload.remaining());
 * channel.write(new ByteBuffer[] {header.flip(), payload});
 * }</pre>
 *
 * Small frames can be written whole with {@link #writeFrame}; a message sent to many sockets is
 * framed once with {@link PreparedMessage}. All methods write at {@code dst}'s position and advance
 * it, and throw {@link java.nio.BufferOverflowException} if it has too little room.
 */
public final class FrameWriter {
    /** The longest header: 2 bytes, a 64-bit length and a mask key. */
    public static final int MAX_HEADER_LENGTH = 14;
    /** The largest control frame payload. */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The largest close reason, in UTF-8 bytes (125 minus the 2-byte code). */
    public static final int MAX_CLOSE_REASON = 123;

    private static final byte[] EMPTY = new byte[0];

    private FrameWriter() {}

    /** Bytes of the header for a payload of this length. */
    public static int headerLength(long payloadLength, boolean masked) {
        int base = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? base + 4 : base;
    }

    /**
     * Writes an unmasked (server) frame header. {@code rsv} is 0 or a combination of the reserved
     * bits 0x40/0x20/0x10 (for example {@link FrameParser#RSV1} on a compressed message). Returns
     * the header length.
     */
    public static int writeHeader(ByteBuffer dst, OpCode opcode, boolean fin, int rsv, long payloadLength) {
        return header(dst, opcode, fin, rsv, payloadLength, false, 0);
    }

    /** Writes a masked (client) frame header ending with {@code maskKey} (big-endian). */
    public static int writeMaskedHeader(ByteBuffer dst, OpCode opcode, boolean fin, int rsv, long payloadLength, int maskKey) {
        return header(dst, opcode, fin, rsv, payloadLength, true, maskKey);
    }

    /** Writes a whole unfragmented server frame; copies position..limit of {@code payload} without moving it. */
    public static void writeFrame(ByteBuffer dst, OpCode opcode, ByteBuffer payload) {
        writeHeader(dst, opcode, true, 0, payload.remaining());
        dst.put(payload.duplicate());
    }

    /**
     * Writes a whole unfragmented client frame: the header, then a masked copy of position..limit
     * of {@code payload} (which is left unchanged). Keys must come from a strong random source
     * (RFC 6455 section 10.3).
     */
    public static void writeMaskedFrame(ByteBuffer dst, OpCode opcode, ByteBuffer payload, int maskKey) {
        writeMaskedHeader(dst, opcode, true, 0, payload.remaining(), maskKey);
        int start = dst.position();
        dst.put(payload.duplicate());
        Masking.apply(dst, start, dst.position(), maskKey, 0);
    }

    /**
     * Writes the payload of a close frame: the code, then {@code reason} in UTF-8.
     *
     * @throws IllegalArgumentException if the code may not be sent (see
     *         {@link CloseCodes#isValidOnWire}) or the reason is over {@value #MAX_CLOSE_REASON} bytes
     */
    public static int writeClosePayload(ByteBuffer dst, int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code may not be sent: " + code);
        }
        byte[] utf8 = reason.isEmpty() ? EMPTY : reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason over " + MAX_CLOSE_REASON + " UTF-8 bytes");
        }
        dst.put((byte) (code >>> 8)).put((byte) code).put(utf8); // big-endian whatever dst's order
        return 2 + utf8.length;
    }

    /** Writes a whole server close frame with a code and reason. */
    public static void writeCloseFrame(ByteBuffer dst, int code, String reason) {
        int headerAt = dst.position();
        dst.position(headerAt + 2); // a close payload is at most 125 bytes: always a 2-byte header
        int length = writeClosePayload(dst, code, reason);
        int end = dst.position();
        dst.position(headerAt);
        writeHeader(dst, OpCode.CLOSE, true, 0, length);
        dst.position(end);
    }

    private static int header(ByteBuffer dst, OpCode opcode, boolean fin, int rsv, long length, boolean masked, int maskKey) {
        if (length < 0) {
            throw new IllegalArgumentException("negative payload length");
        }
        if ((rsv & ~0x70) != 0) {
            throw new IllegalArgumentException("rsv must use only bits 0x70");
        }
        if (opcode.isControl() && (!fin || length > MAX_CONTROL_PAYLOAD)) {
            throw new IllegalArgumentException("control frames are final and carry at most 125 bytes");
        }
        int start = dst.position();
        int maskBit = masked ? 0x80 : 0;
        dst.put((byte) ((fin ? 0x80 : 0) | rsv | opcode.code()));
        if (length <= 125) {
            dst.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            dst.put((byte) (maskBit | 126)).put((byte) (length >>> 8)).put((byte) length);
        } else {
            dst.put((byte) (maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst.put((byte) (length >>> shift));
            }
        }
        if (masked) {
            dst.put((byte) (maskKey >>> 24)).put((byte) (maskKey >>> 16)).put((byte) (maskKey >>> 8)).put((byte) maskKey);
        }
        return dst.position() - start;
    }
}

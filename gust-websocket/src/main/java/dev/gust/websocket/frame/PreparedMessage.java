package dev.gust.websocket.frame;

import dev.gust.websocket.OpCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A message framed once (as an unmasked server frame) and sent to any number of sockets: the
 * pub/sub fan-out unit. Immutable and safe to share across threads; each write takes its own
 * {@link #frame()} view, or copies with {@link #copyTo} into a socket's cork buffer.
 *
 * <pre>{@code
 * PreparedMessage msg = PreparedMessage.text("{\"price\":42}");
 * for (var socket : subscribers) socket.write(msg.frame());   // no re-framing, no payload copy
 * }</pre>
 */
public final class PreparedMessage {
    private final OpCode opcode;
    private final ByteBuffer frame; // read-only, position 0, limit = header + payload
    private final int headerLength;

    private PreparedMessage(OpCode opcode, ByteBuffer frame, int headerLength) {
        this.opcode = opcode;
        this.frame = frame;
        this.headerLength = headerLength;
    }

    /** A text message from a string. */
    public static PreparedMessage text(CharSequence text) {
        return of(OpCode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), false, false);
    }

    /** A text message from bytes the caller knows are valid UTF-8 (for example a received message). */
    public static PreparedMessage text(ByteBuffer utf8) {
        return of(OpCode.TEXT, utf8, false, false);
    }

    /** A binary message; copies position..limit of {@code data} without moving it. */
    public static PreparedMessage binary(ByteBuffer data) {
        return of(OpCode.BINARY, data, false, false);
    }

    /** A binary message from an array (copied). */
    public static PreparedMessage binary(byte[] data) {
        return of(OpCode.BINARY, ByteBuffer.wrap(data), false, false);
    }

    /**
     * The general form.
     *
     * @param opcode  any opcode except {@link OpCode#CONTINUATION}; control opcodes need at most
     *                125 bytes
     * @param payload copied from position to limit, which are left unchanged
     * @param rsv1    set RSV1: the payload is already compressed with permessage-deflate
     * @param direct  hold the frame in a direct buffer (saves a copy per socket write on NIO,
     *                costs a slower allocation)
     */
    public static PreparedMessage of(OpCode opcode, ByteBuffer payload, boolean rsv1, boolean direct) {
        if (opcode == OpCode.CONTINUATION) {
            throw new IllegalArgumentException("a prepared message is a whole message");
        }
        int payloadLength = payload.remaining();
        int headerLength = FrameWriter.headerLength(payloadLength, false);
        ByteBuffer frame = direct
                ? ByteBuffer.allocateDirect(headerLength + payloadLength)
                : ByteBuffer.allocate(headerLength + payloadLength);
        FrameWriter.writeHeader(frame, opcode, true, rsv1 ? FrameParser.RSV1 : 0, payloadLength);
        frame.put(payload.duplicate());
        return new PreparedMessage(opcode, frame.flip().asReadOnlyBuffer(), headerLength);
    }

    /** A fresh read-only view of the whole frame (header and payload) for one write. */
    public ByteBuffer frame() {
        return frame.duplicate();
    }

    /** A fresh read-only view of the payload alone (for example for local, unframed delivery). */
    public ByteBuffer payload() {
        return frame.slice(headerLength, frame.limit() - headerLength);
    }

    /**
     * Copies the whole frame into {@code dst} at its position and advances it; allocates nothing.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than {@link #frameLength()}
     */
    public void copyTo(ByteBuffer dst) {
        int length = frame.limit();
        if (dst.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        dst.put(dst.position(), frame, 0, length);
        dst.position(dst.position() + length);
    }

    public OpCode opcode() {
        return opcode;
    }

    /** Header plus payload, in bytes: what one write of this message puts on the wire. */
    public int frameLength() {
        return frame.limit();
    }

    public int payloadLength() {
        return frame.limit() - headerLength;
    }

    /** True if the frame sits in off-heap memory. */
    public boolean isDirect() {
        return frame.isDirect();
    }
}

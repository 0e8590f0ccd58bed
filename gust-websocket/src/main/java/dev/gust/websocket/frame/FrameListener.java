package dev.gust.websocket.frame;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameParser} decodes: whole messages, control frames, and the first
 * protocol violation.
 *
 * <p>Every {@code ByteBuffer} handed over is a window (position to limit) on either the caller's
 * input buffer or the parser's own accumulation buffer, valid only for the duration of the call:
 * read it, or copy it ({@code slice()} is not enough to keep it), but do not retain it or write to
 * it. The parser restores the buffer's limit after the call.
 *
 * <pre>{@code
 * class Echo implements FrameListener {
 *     public void onText(ByteBuffer utf8) { socket.send(Utf8Text.decode(utf8)); }
 *     public void onBinary(ByteBuffer data) { socket.sendBinary(data); }
 *     public void onPing(ByteBuffer payload) { socket.pong(payload); }
 *     public void onPong(ByteBuffer payload) {}
 *     public void onClose(int code, String reason) { socket.close(code); }
 *     public void onProtocolError(int closeCode, String message) { socket.close(closeCode); }
 * }
 * }</pre>
 */
public interface FrameListener {
    /** A complete text message; already validated as UTF-8 (see {@link Utf8Text#decode}). */
    void onText(ByteBuffer utf8);

    /** A complete binary message. */
    void onBinary(ByteBuffer data);

    /** A ping (at most 125 bytes); the application answers with a pong carrying the same data. */
    void onPing(ByteBuffer payload);

    /** A pong (at most 125 bytes). */
    void onPong(ByteBuffer payload);

    /**
     * A valid close frame. {@code code} is 1005 ({@code NO_STATUS_RECEIVED}) when the frame had no
     * payload; {@code reason} is empty when absent. The parser ignores all input after this.
     */
    void onClose(int code, String reason);

    /**
     * The peer broke the protocol; the connection must be closed with {@code closeCode} (1002,
     * 1007 or 1009). {@code message} is a constant, suitable as the close reason. The parser
     * ignores all input after this.
     */
    void onProtocolError(int closeCode, String message);

    /**
     * A complete message whose first frame had RSV1 set, delivered only when the parser was told
     * that an extension (permessage-deflate) owns RSV1. The payload is still compressed and its
     * UTF-8 is not validated: both are the extension's job after inflating.
     */
    default void onCompressed(boolean text, ByteBuffer compressedPayload) {
        throw new UnsupportedOperationException("RSV1 allowed but no decompressing listener");
    }
}

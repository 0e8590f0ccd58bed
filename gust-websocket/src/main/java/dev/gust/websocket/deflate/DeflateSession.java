package dev.gust.websocket.deflate;

import dev.gust.websocket.CloseCodes;
import dev.gust.websocket.frame.FrameListener;
import dev.gust.websocket.frame.FrameParser;
import dev.gust.websocket.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * permessage-deflate on one connection, for either end: which codec compresses and inflates
 * (the loop's shared, resetting ones when the negotiated parameters allow, else the connection's
 * own, created on first use), which messages are worth compressing, and the checks on inflated
 * messages (size cap → 1009, bad deflate data or UTF-8 → 1007). Loop thread only.
 *
 * <pre>{@code
 * var deflate = new DeflateSession(params, true, 128);
 * parser.allowRsv1OnDataMessages(true);
 * // FrameListener.onCompressed(text, data): deflate.deliver(text, data, maxPayload, this, parser);
 * if (deflate.worthCompressing(payload.remaining())) payload = deflate.compress(payload);  // + RSV1
 * }</pre>
 */
public final class DeflateSession {
    private final DeflateParameters parameters;
    private final boolean weReset, peerResets;
    private final int threshold;
    private final int maxCompressible; // a promised window under 15 bits: longer messages go uncompressed
    private MessageDeflater ownDeflater;
    private MessageInflater ownInflater;

    /**
     * @param parameters the agreed parameters
     * @param server     true on the server end (its compressor is the "server" one)
     * @param threshold  messages shorter than this are sent uncompressed
     */
    public DeflateSession(DeflateParameters parameters, boolean server, int threshold) {
        this.parameters = parameters;
        this.weReset = parameters.noContextTakeover(server);
        this.peerResets = parameters.noContextTakeover(!server);
        this.threshold = threshold;
        int bits = server ? parameters.serverMaxWindowBits() : parameters.clientMaxWindowBits();
        // java.util.zip always uses a 15-bit window; a message no longer than 2^bits, compressed on
        // its own, cannot refer further back than that, so it honours the smaller window.
        this.maxCompressible = bits != 0 && bits < DeflateParameters.MAX_WINDOW_BITS ? 1 << bits : Integer.MAX_VALUE;
    }

    public DeflateParameters parameters() {
        return parameters;
    }

    /** Whether a message of this length should be compressed. */
    public boolean worthCompressing(int length) {
        return length >= threshold && length <= maxCompressible;
    }

    /**
     * True when this end compresses every message on its own, so a frame compressed once (for a
     * publish) is valid on this connection too.
     */
    public boolean acceptsSharedFrames() {
        return weReset;
    }

    /** Compresses {@code payload} (unchanged); the result is valid until the next compression on this loop. */
    public ByteBuffer compress(ByteBuffer payload) {
        if (weReset) return LoopCodecs.deflater().compress(payload);
        if (ownDeflater == null) ownDeflater = new MessageDeflater(false);
        return ownDeflater.compress(payload);
    }

    /**
     * Inflates a compressed message and hands it to {@code listener} as text or binary, or stops
     * {@code parser} and reports 1009 (past {@code maxLength}) or 1007 (bad data, bad UTF-8).
     */
    public void deliver(boolean text, ByteBuffer compressed, int maxLength, FrameListener listener, FrameParser parser) {
        ByteBuffer plain;
        try {
            plain = inflater().inflate(compressed, maxLength);
        } catch (DataFormatException e) {
            fail(parser, listener, CloseCodes.INVALID_PAYLOAD_DATA, "invalid compressed data");
            return;
        }
        if (plain == null) {
            fail(parser, listener, CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (!text) {
            listener.onBinary(plain);
        } else if (Utf8Validator.isValid(plain, plain.position(), plain.limit())) {
            listener.onText(plain);
        } else {
            fail(parser, listener, CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text message");
        }
    }

    private MessageInflater inflater() {
        if (peerResets) return LoopCodecs.inflater();
        if (ownInflater == null) ownInflater = new MessageInflater(false);
        return ownInflater;
    }

    private static void fail(FrameParser parser, FrameListener listener, int code, String why) {
        parser.stop();
        listener.onProtocolError(code, why);
    }

    /** Frees this connection's own codecs (native memory) at once rather than at GC. */
    public void close() {
        if (ownDeflater != null) ownDeflater.close();
        if (ownInflater != null) ownInflater.close();
        ownDeflater = null;
        ownInflater = null;
    }
}

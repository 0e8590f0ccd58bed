package dev.gust.websocket.frame;

import dev.gust.websocket.CloseCodes;
import dev.gust.websocket.OpCode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental RFC 6455 frame parser for one connection: feed it whatever bytes arrived, in any
 * split, and it reports whole messages, control frames and protocol violations to a
 * {@link FrameListener}.
 *
 * <p>Built for a shared per-loop read buffer: the payload is unmasked in place in the input
 * buffer, and a whole unfragmented message that is complete in the input is delivered as a window
 * on it (no copy, no allocation). Fragmented messages and frames split across reads are copied
 * into a per-connection buffer that grows with the bytes actually received and never beyond
 * {@code maxPayloadLength}; a frame whose declared length would exceed it is refused with 1009
 * before any payload is read. Control frames interleaved in a fragmented message are delivered at
 * once. Every violation is reported once, with the close code RFC 6455 mandates, after which all
 * input is ignored; the same holds after a close frame.
 *
 * <pre>{@code
 * var parser = new FrameParser(FrameParser.Role.SERVER, 16 << 20, listener);
 * // in the loop's data callback:
 * parser.feed(readBuffer);            // consumes position..limit, calls listener synchronously
 * if (parser.isFinished()) ...        // close frame seen, violation reported, or stop() called
 * }</pre>
 *
 * <p>Single-threaded; the listener must not call {@link #feed} re-entrantly. The input buffer must
 * be writable when frames are masked (server role).
 */
public final class FrameParser {

    /** Which end of the connection this parser serves; it decides the masking rule. */
    public enum Role {
        /** Parses frames sent by clients: every frame must be masked. */
        SERVER,
        /** Parses frames sent by servers: no frame may be masked. */
        CLIENT
    }

    /** The RSV1 bit of the first header byte, used by permessage-deflate (RFC 7692). */
    public static final int RSV1 = 0x40;

    /** Accumulation buffers larger than this are released after each message, not kept. */
    public static final int RETAINED_BUFFER_LIMIT = 8 * 1024;

    private static final int MAX_HEADER_LENGTH = 14;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int MIN_MESSAGE_BUFFER = 256;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private static final VarHandle SHORT_BE =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final boolean requireMasked;
    private final int maxPayloadLength;
    private final FrameListener listener;
    private boolean rsv1Allowed;

    private boolean finished;
    private boolean inPayload;

    // A header split across reads is gathered here (allocated on first need).
    private ByteBuffer headerBytes;
    private int headerLength;

    // The frame being read.
    private boolean fin;
    private boolean rsv1;
    private OpCode opcode;
    private boolean masked;
    private int lengthCode; // the 7-bit length field: 0..125, 126 or 127
    private int maskKey;
    private int frameLength;
    private int frameRead;

    // The data message being read: null type when none is open.
    private OpCode messageType;
    private boolean messageCompressed;
    private int messageLength;
    private final Utf8Validator utf8 = new Utf8Validator();
    private ByteBuffer messageBuffer;
    private ByteBuffer controlBuffer;

    /**
     * Creates the parser of one connection; it allocates nothing more until a frame arrives split.
     *
     * @param role             {@link Role#SERVER} to parse client frames (masked), else client
     * @param maxPayloadLength largest message accepted (sum of its fragments), in bytes
     * @param listener         receives messages and errors, synchronously from {@link #feed}
     */
    public FrameParser(Role role, int maxPayloadLength, FrameListener listener) {
        if (maxPayloadLength < 1 || maxPayloadLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxPayloadLength out of range: " + maxPayloadLength);
        }
        this.requireMasked = role == Role.SERVER;
        this.maxPayloadLength = maxPayloadLength;
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Lets RSV1 be set on the first frame of a text or binary message, as negotiated by
     * permessage-deflate; such messages go to {@link FrameListener#onCompressed}. RSV1 on
     * continuation or control frames, and RSV2/RSV3 always, stay protocol errors.
     */
    public void allowRsv1OnDataMessages(boolean allowed) {
        this.rsv1Allowed = allowed;
    }

    /**
     * Consumes all bytes from position to limit of {@code in} (position ends at the old limit),
     * delivering every complete message and control frame to the listener before returning. Bytes
     * of an incomplete header or payload are kept, so the buffer may be reused afterwards.
     */
    public void feed(ByteBuffer in) {
        int pos = in.position();
        final int end = in.limit();
        try {
            while (pos < end && !finished) {
                pos = inPayload ? readPayload(in, pos, end) : readHeader(in, pos, end);
            }
        } finally {
            in.limit(end).position(end);
        }
    }

    /** Stops parsing: later {@link #feed} calls consume input without delivering anything. */
    public void stop() {
        finished = true;
    }

    /** True after a close frame, a reported protocol error, or {@link #stop()}. */
    public boolean isFinished() {
        return finished;
    }

    /** True while a fragmented data message has started and not yet ended. */
    public boolean isMessageOpen() {
        return messageType != null;
    }

    /** Capacity of the retained accumulation buffer (0 when none); for tests. */
    int messageBufferCapacity() {
        return messageBuffer == null ? 0 : messageBuffer.capacity();
    }

    // ---------------------------------------------------------------- header

    private int readHeader(ByteBuffer in, int pos, int end) {
        if (headerLength == 0 && end - pos >= 2) {
            if (!acceptFirstTwoBytes(in.get(pos), in.get(pos + 1))) {
                return end;
            }
            int need = headerSize();
            if (end - pos >= need) {
                return acceptRest(in, pos) ? startFrame(in, pos + need) : end;
            }
        }
        return gatherSplitHeader(in, pos, end);
    }

    /** Slow path: header bytes arrive across reads; gather them in a 14-byte scratch buffer. */
    private int gatherSplitHeader(ByteBuffer in, int pos, int end) {
        if (headerBytes == null) {
            headerBytes = ByteBuffer.allocate(MAX_HEADER_LENGTH);
        }
        boolean hadFirstTwo = headerLength >= 2;
        while (headerLength < 2 && pos < end) {
            headerBytes.put(headerLength++, in.get(pos++));
        }
        if (headerLength < 2) {
            return pos;
        }
        // On the fast path these two bytes may already be checked; checking twice is harmless.
        if (!hadFirstTwo && !acceptFirstTwoBytes(headerBytes.get(0), headerBytes.get(1))) {
            return end;
        }
        int need = headerSize();
        int n = Math.min(need - headerLength, end - pos);
        headerBytes.put(headerLength, in, pos, n);
        headerLength += n;
        pos += n;
        if (headerLength < need) {
            return pos;
        }
        headerLength = 0;
        return acceptRest(headerBytes, 0) ? startFrame(in, pos) : end;
    }

    private int headerSize() {
        int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        return 2 + extended + (masked ? 4 : 0);
    }

    /** Every rule that the first two bytes decide; fails fast before the rest arrives. */
    private boolean acceptFirstTwoBytes(byte b0, byte b1) {
        fin = (b0 & 0x80) != 0;
        int rsv = b0 & 0x70;
        opcode = OpCode.fromCode(b0 & 0x0F);
        masked = (b1 & 0x80) != 0;
        lengthCode = b1 & 0x7F;
        if (opcode == null) {
            return fail(CloseCodes.PROTOCOL_ERROR, "reserved opcode");
        }
        rsv1 = rsv == RSV1;
        if (rsv != 0 && !(rsv1 && rsv1Allowed && opcode.isDataStart())) {
            return fail(CloseCodes.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");
        }
        if (masked != requireMasked) {
            return fail(CloseCodes.PROTOCOL_ERROR, requireMasked ? "client frame not masked" : "server frame masked");
        }
        if (opcode.isControl()) {
            if (!fin) {
                return fail(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
        } else if (opcode == OpCode.CONTINUATION) {
            if (messageType == null) {
                return fail(CloseCodes.PROTOCOL_ERROR, "continuation frame without a started message");
            }
        } else if (messageType != null) {
            return fail(CloseCodes.PROTOCOL_ERROR, "new data frame while a fragmented message is open");
        }
        return true;
    }

    /** Extended length and mask key, read from {@code src} where the header starts at {@code at}. */
    private boolean acceptRest(ByteBuffer src, int at) {
        int p = at + 2;
        long length = lengthCode;
        if (lengthCode == 126) {
            length = (short) SHORT_BE.get(src, p) & 0xFFFF;
            p += 2;
        } else if (lengthCode == 127) {
            length = (long) LONG_BE.get(src, p);
            p += 8;
            if (length < 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with the top bit set");
            }
        }
        // Non-minimal length encodings are accepted: RFC 6455 asks senders for the minimal form
        // but gives receivers no reason to refuse; the decoded value is what the rules apply to.
        if (opcode.isControl()) {
            if (length > MAX_CONTROL_PAYLOAD) {
                return fail(CloseCodes.PROTOCOL_ERROR, "control frame payload over 125 bytes");
            }
        } else if (length > maxPayloadLength - (opcode == OpCode.CONTINUATION ? messageLength : 0)) {
            return fail(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        }
        maskKey = masked ? (int) INT_BE.get(src, p) : 0;
        frameLength = (int) length;
        frameRead = 0;
        return true;
    }

    private int startFrame(ByteBuffer in, int pos) {
        if (opcode.isDataStart()) {
            messageType = opcode;
            messageCompressed = rsv1;
            messageLength = 0;
            utf8.reset();
        }
        if (frameLength > 0) {
            inPayload = true;
        } else if (opcode.isControl()) {
            deliverControl(EMPTY, 0, 0);
        } else if (fin) {
            if (messageLength == 0) {
                deliverMessage(EMPTY, 0, 0);
            } else {
                deliverAccumulatedMessage();
            }
        }
        return pos;
    }

    // ---------------------------------------------------------------- payload

    private int readPayload(ByteBuffer in, int pos, int end) {
        int n = Math.min(end - pos, frameLength - frameRead);
        boolean wholeFrameHere = frameRead == 0 && n == frameLength;
        if (masked) {
            Masking.apply(in, pos, pos + n, maskKey, frameRead);
        }
        frameRead += n;
        boolean frameDone = frameRead == frameLength;
        if (frameDone) {
            inPayload = false;
        }
        if (opcode.isControl()) {
            if (wholeFrameHere) {
                deliverControl(in, pos, pos + n);
            } else {
                gatherControl(in, pos, n, frameDone);
            }
        } else if (wholeFrameHere && fin && messageLength == 0) {
            // Fast path: a whole unfragmented message in the input; deliver it in place.
            if (validatesText() && !(utf8.update(in, pos, pos + n) && utf8.isComplete())) {
                fail(CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text message");
            } else {
                deliverMessage(in, pos, pos + n);
            }
        } else {
            gatherData(in, pos, n, frameDone);
        }
        return pos + n;
    }

    private boolean validatesText() {
        return messageType == OpCode.TEXT && !messageCompressed;
    }

    private void gatherData(ByteBuffer in, int pos, int n, boolean frameDone) {
        // Validate each chunk as it arrives: invalid UTF-8 fails before the message ends.
        if (validatesText() && !utf8.update(in, pos, pos + n)) {
            fail(CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text message");
            return;
        }
        ensureMessageCapacity(messageLength + n);
        messageBuffer.put(messageLength, in, pos, n);
        messageLength += n;
        if (frameDone && fin) {
            deliverAccumulatedMessage();
        }
    }

    private void ensureMessageCapacity(int needed) {
        int capacity = messageBuffer == null ? 0 : messageBuffer.capacity();
        if (needed <= capacity) {
            return;
        }
        // Grow with the bytes that actually arrived (a declared length is only a promise), but
        // not past the message's known final size or the limit.
        long grown = Math.max((long) needed, Math.max(2L * capacity, MIN_MESSAGE_BUFFER));
        if (fin) {
            grown = Math.min(grown, (long) needed + (frameLength - frameRead)); // frameRead counts this chunk
        }
        int newCapacity = (int) Math.min(Math.max(grown, needed), maxPayloadLength);
        ByteBuffer bigger = ByteBuffer.allocate(newCapacity);
        if (messageLength > 0) {
            bigger.put(0, messageBuffer, 0, messageLength);
        }
        messageBuffer = bigger;
    }

    private void deliverAccumulatedMessage() {
        if (validatesText() && !utf8.isComplete()) {
            fail(CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text message");
            return;
        }
        ByteBuffer buffer = messageBuffer;
        int length = messageLength;
        messageLength = 0;
        if (buffer.capacity() > RETAINED_BUFFER_LIMIT) {
            messageBuffer = null; // one large message must not pin its buffer to the connection
        }
        deliverMessage(buffer, 0, length);
    }

    private void gatherControl(ByteBuffer in, int pos, int n, boolean frameDone) {
        if (controlBuffer == null) {
            controlBuffer = ByteBuffer.allocate(MAX_CONTROL_PAYLOAD);
        }
        controlBuffer.put(frameRead - n, in, pos, n);
        if (frameDone) {
            deliverControl(controlBuffer, 0, frameLength);
        }
    }

    // ---------------------------------------------------------------- delivery

    private void deliverMessage(ByteBuffer buf, int from, int to) {
        OpCode type = messageType;
        boolean compressed = messageCompressed;
        messageType = null;
        int savedLimit = buf.limit();
        buf.limit(to).position(from);
        try {
            if (compressed) {
                listener.onCompressed(type == OpCode.TEXT, buf);
            } else if (type == OpCode.TEXT) {
                listener.onText(buf);
            } else {
                listener.onBinary(buf);
            }
        } finally {
            buf.limit(savedLimit);
        }
    }

    private void deliverControl(ByteBuffer buf, int from, int to) {
        if (opcode == OpCode.CLOSE) {
            deliverClose(buf, from, to);
            return;
        }
        int savedLimit = buf.limit();
        buf.limit(to).position(from);
        try {
            if (opcode == OpCode.PING) {
                listener.onPing(buf);
            } else {
                listener.onPong(buf);
            }
        } finally {
            buf.limit(savedLimit);
        }
    }

    private void deliverClose(ByteBuffer buf, int from, int to) {
        int length = to - from;
        if (length == 0) {
            finished = true;
            listener.onClose(CloseCodes.NO_STATUS_RECEIVED, "");
            return;
        }
        if (length == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        int code = (short) SHORT_BE.get(buf, from) & 0xFFFF;
        if (!CloseCodes.isValidOnWire(code)) {
            fail(CloseCodes.PROTOCOL_ERROR, "invalid close code");
            return;
        }
        if (!Utf8Validator.isValid(buf, from + 2, to)) {
            fail(CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in close reason");
            return;
        }
        String reason = "";
        if (length > 2) {
            int savedLimit = buf.limit();
            buf.limit(to).position(from + 2);
            reason = Utf8Text.decode(buf);
            buf.limit(savedLimit);
        }
        finished = true;
        listener.onClose(code, reason);
    }

    /** Reports the first violation and stops; returns false so callers can {@code return fail(..)}. */
    private boolean fail(int closeCode, String message) {
        finished = true;
        inPayload = false;
        listener.onProtocolError(closeCode, message);
        return false;
    }
}

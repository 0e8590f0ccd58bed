package dev.gust.websocket;

/**
 * WebSocket frame opcodes (RFC 6455 section 5.2). Values 3-7 and 11-15 are reserved and have no
 * constant: {@link #fromCode(int)} returns {@code null} for them, which a parser turns into 1002.
 *
 * <pre>{@code
 * OpCode op = OpCode.fromCode(b0 & 0x0F);
 * if (op == null) fail(CloseCodes.PROTOCOL_ERROR);
 * }</pre>
 */
public enum OpCode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    // Indexed by the 4-bit wire value; lookup must not allocate (values() copies its array).
    private static final OpCode[] BY_CODE = new OpCode[16];

    static {
        for (OpCode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    OpCode(int code) {
        this.code = code;
    }

    /** The 4-bit value carried on the wire. */
    public int code() {
        return code;
    }

    /** Close, ping and pong: at most 125 bytes of payload and never fragmented. */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** Text or binary: the opcodes that may start a message. */
    public boolean isDataStart() {
        return this == TEXT || this == BINARY;
    }

    /** The opcode for a 4-bit wire value, or {@code null} if the value is reserved. */
    public static OpCode fromCode(int code) {
        return (code & ~0xF) == 0 ? BY_CODE[code] : null;
    }
}

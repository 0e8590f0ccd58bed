package dev.gust.websocket;

/**
 * WebSocket close status codes (RFC 6455 section 7.4 and the IANA registry) and the rule for which
 * of them may appear in a close frame on the wire.
 *
 * <pre>{@code
 * if (!CloseCodes.isValidOnWire(code)) fail(CloseCodes.PROTOCOL_ERROR, "invalid close code");
 * }</pre>
 */
public final class CloseCodes {
    public static final int NORMAL_CLOSURE = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved; must not be sent. */
    public static final int RESERVED_1004 = 1004;
    /** Reported locally when a close frame carried no status code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Reported locally when the connection dropped without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    public static final int INVALID_PAYLOAD_DATA = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int SERVICE_RESTART = 1012;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int BAD_GATEWAY = 1014;
    /** Reported locally when the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {}

    /**
     * Whether {@code code} may be carried in a close frame. Valid: 1000-1003, 1007-1014 (the
     * assigned protocol codes), 3000-3999 (registered libraries and frameworks) and 4000-4999
     * (private use). Everything else, including the local-only 1005/1006/1015, is invalid and
     * answered with {@link #PROTOCOL_ERROR}.
     */
    public static boolean isValidOnWire(int code) {
        if (code >= 1000 && code <= 1014) {
            return code < RESERVED_1004 || code > ABNORMAL_CLOSURE;
        }
        return code >= 3000 && code <= 4999;
    }
}

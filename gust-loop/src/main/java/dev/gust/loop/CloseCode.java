package dev.gust.loop;

/**
 * Why a {@link Socket} closed, as passed to {@link SocketHandler#onClose}. User code may pass its
 * own positive codes to {@link Socket#close(int)}; these are the ones the loop core uses.
 */
public final class CloseCode {
    /** Closed cleanly: by {@link Socket#close()}, or after both directions were shut down. */
    public static final int CLEAN = 0;
    /** Aborted by this side with a TCP reset ({@link Socket#abort()}). */
    public static final int ABORTED = 1;
    /** The peer reset the connection or an I/O error occurred. */
    public static final int PEER_RESET = 2;
    /** A timeout's default action closed it. */
    public static final int TIMEOUT = 3;
    /** More bytes were waiting to be written than the context's {@code maxBufferedBytes}. */
    public static final int BACKPRESSURE_LIMIT = 4;
    /** A callback for this socket threw; the error was logged. */
    public static final int CALLBACK_ERROR = 5;
    /** The loop (or the socket's context) was closed. */
    public static final int LOOP_CLOSED = 6;
    /** The TLS layer failed (bad handshake, bad record). */
    public static final int TLS_ERROR = 7;
    /**
     * Not closed at all: the connection moved to another context ({@link Socket#moveTo}); this
     * socket object is finished, the connection lives on in the socket {@code moveTo} returned.
     */
    public static final int MOVED = 8;

    private CloseCode() {}

    /** A readable name for logs. */
    public static String name(int code) {
        return switch (code) {
            case CLEAN -> "CLEAN";
            case ABORTED -> "ABORTED";
            case PEER_RESET -> "PEER_RESET";
            case TIMEOUT -> "TIMEOUT";
            case BACKPRESSURE_LIMIT -> "BACKPRESSURE_LIMIT";
            case CALLBACK_ERROR -> "CALLBACK_ERROR";
            case LOOP_CLOSED -> "LOOP_CLOSED";
            case TLS_ERROR -> "TLS_ERROR";
            case MOVED -> "MOVED";
            default -> "CODE_" + code;
        };
    }
}

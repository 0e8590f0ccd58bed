package dev.gust.websocket.deflate;

/**
 * The agreed permessage-deflate parameters of one connection, as they appear in the server's
 * response (RFC 7692 section 7.1).
 *
 * @param serverNoContextTakeover the server resets its compressor after every message
 * @param clientNoContextTakeover the client resets its compressor after every message
 * @param serverMaxWindowBits     {@code server_max_window_bits} as named in the response (8..15), or 0
 *                                when not named (the server may then use up to 15)
 * @param clientMaxWindowBits     {@code client_max_window_bits} as named in the response, or 0
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {
    public static final int MIN_WINDOW_BITS = 8, MAX_WINDOW_BITS = 15;

    public DeflateParameters {
        checkBits(serverMaxWindowBits);
        checkBits(clientMaxWindowBits);
    }

    private static void checkBits(int bits) {
        if (bits != 0 && bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be 8..15: " + bits);
        }
    }

    /** The response header value: only parameters that differ from the defaults are named. */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder(ExtensionHeader.PERMESSAGE_DEFLATE);
        if (serverNoContextTakeover) sb.append("; server_no_context_takeover");
        if (clientNoContextTakeover) sb.append("; client_no_context_takeover");
        if (serverMaxWindowBits != 0) sb.append("; server_max_window_bits=").append(serverMaxWindowBits);
        if (clientMaxWindowBits != 0) sb.append("; client_max_window_bits=").append(clientMaxWindowBits);
        return sb.toString();
    }

    /** Whether the compressor of {@code server} side (else the client's) resets after every message. */
    public boolean noContextTakeover(boolean server) {
        return server ? serverNoContextTakeover : clientNoContextTakeover;
    }
}

package dev.gust.websocket.handshake;

/**
 * Result of checking an upgrade request ({@link Handshake#check}): {@link #ACCEPT}, or why not, with
 * the HTTP status to answer with (RFC 6455 section 4.2.2) and any header that answer needs.
 *
 * <pre>{@code
 * HandshakeOutcome outcome = Handshake.check(method, version, upgrade, connection, wsVersion, key);
 * if (outcome != HandshakeOutcome.ACCEPT) { Handshake.writeRejection(out, outcome); close(); }
 * }</pre>
 */
public enum HandshakeOutcome {
    ACCEPT(101, "Switching Protocols", null, "accepted"),
    METHOD_NOT_GET(405, "Method Not Allowed", "Allow: GET", "a WebSocket upgrade must use GET"),
    HTTP_VERSION_TOO_OLD(400, "Bad Request", null, "a WebSocket upgrade needs HTTP/1.1 or later"),
    MISSING_UPGRADE_WEBSOCKET(400, "Bad Request", null, "the Upgrade header does not list websocket"),
    MISSING_CONNECTION_UPGRADE(400, "Bad Request", null, "the Connection header does not list upgrade"),
    UNSUPPORTED_VERSION(426, "Upgrade Required", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version must be 13"),
    INVALID_KEY(400, "Bad Request", null, "Sec-WebSocket-Key is not the base64 form of 16 bytes");

    private final int status;
    private final String reasonPhrase;
    private final String responseHeader;
    private final String message;

    HandshakeOutcome(int status, String reasonPhrase, String responseHeader, String message) {
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.responseHeader = responseHeader;
        this.message = message;
    }

    /** The HTTP status code to respond with. */
    public int status() {
        return status;
    }

    /** The standard reason phrase for {@link #status()}. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** A header line (without CRLF) the response must carry, or {@code null}. */
    public String responseHeader() {
        return responseHeader;
    }

    /** A human-readable explanation for logs and response bodies. */
    public String message() {
        return message;
    }
}

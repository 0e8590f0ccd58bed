package dev.gust.http.parse;

/** Why {@link HttpRequestParser#feed} returned. */
public enum ParseResult {
    /** Every input byte was consumed; feed the next read. */
    NEED_MORE,
    /**
     * A handler callback returned {@code false}. The input's position is where parsing stopped; the
     * bytes after it are not consumed (after an upgrade they belong to the new protocol). Feed them,
     * or later input, to continue.
     */
    PAUSED,
    /**
     * The last request this connection may carry has ended ({@code Connection: close}, or HTTP/1.0
     * without keep-alive; RFC 9112 §9.6): send its response, then close. The input's position is
     * just after that request; anything beyond is never parsed.
     */
    CLOSED,
    /**
     * The request is malformed or over a limit. Answer {@link HttpRequestParser#errorStatus()} and
     * close the connection; the parser accepts no more input.
     */
    ERROR
}

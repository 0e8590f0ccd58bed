package dev.gust.conformance.cases;

/** Frame opcodes (RFC 6455 5.2). */
final class Op {
    static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

    private Op() {}
}

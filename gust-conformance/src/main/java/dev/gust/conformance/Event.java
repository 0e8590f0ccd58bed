package dev.gust.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the client observed, in Autobahn's terms: {@code ("message", payload, binary)}, {@code ("pong", payload)}
 * and {@code ("timeout", tag)} (a {@code continueLater} that fired while the connection was still open).
 */
public record Event(Kind kind, byte[] payload, boolean binary, String tag) {
    public enum Kind { MESSAGE, PONG, TIMEOUT }

    public static Event message(byte[] payload, boolean binary) { return new Event(Kind.MESSAGE, payload, binary, null); }
    public static Event text(String payload) { return message(payload.getBytes(StandardCharsets.UTF_8), false); }
    public static Event pong(byte[] payload) { return new Event(Kind.PONG, payload, false, null); }
    public static Event timeout(String tag) { return new Event(Kind.TIMEOUT, new byte[0], false, tag); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && e.kind == kind && e.binary == binary && Arrays.equals(e.payload, payload)
                && java.util.Objects.equals(e.tag, tag);
    }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + Arrays.hashCode(payload); }

    /** Short, readable form for reports: long payloads are summarised by length. */
    @Override
    public String toString() {
        return switch (kind) {
            case TIMEOUT -> "timeout(" + tag + ")";
            case PONG -> "pong(" + Payloads.describe(payload, true) + ")";
            case MESSAGE -> "message(" + Payloads.describe(payload, binary) + ", " + (binary ? "binary" : "text") + ")";
        };
    }
}

package dev.gust.websocket.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns a validated UTF-8 payload into a {@code String} only when the application wants one, so
 * text that is just forwarded (echo, publish) is never decoded.
 *
 * <pre>{@code
 * public void onText(ByteBuffer utf8) { handler.onMessage(Utf8Text.decode(utf8)); }
 * }</pre>
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** Decodes position to limit of {@code utf8} without moving its position. */
    public static String decode(ByteBuffer utf8) {
        int length = utf8.remaining();
        if (length == 0) {
            return "";
        }
        if (utf8.hasArray()) {
            return new String(utf8.array(), utf8.arrayOffset() + utf8.position(), length, StandardCharsets.UTF_8);
        }
        byte[] copy = new byte[length];
        utf8.get(utf8.position(), copy);
        return new String(copy, StandardCharsets.UTF_8);
    }
}

package dev.gust.websocket;

import dev.gust.websocket.frame.Utf8Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A received message. In callbacks it is a view of the loop's receive buffer, valid only during
 * the call: read it, send or publish it on (no copy until the socket needs one), or {@link #copy()}
 * it. Messages from a blocking WebSocket's {@code receive()} are copies already.
 *
 * <pre>{@code
 * .message((ws, msg) -> {
 *     if (msg.isText()) System.out.println(msg.text());
 *     ws.send(msg);  // echo, no re-encoding
 * })
 * }</pre>
 */
public final class WebSocketMessage {
    private ByteBuffer payload;
    private int start; // the payload's first byte: sends consume the buffer itself, accessors rewind to here
    private boolean text;
    private String cachedText;

    WebSocketMessage() {}

    private WebSocketMessage(ByteBuffer payload, boolean text) {
        this.payload = payload;
        this.start = payload.position();
        this.text = text;
    }

    /** A text message (for tests and app code that builds messages). */
    public static WebSocketMessage text(String s) {
        WebSocketMessage m = new WebSocketMessage(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), true);
        m.cachedText = s;
        return m;
    }

    /** A binary message over a copy of {@code data}. */
    public static WebSocketMessage binary(byte[] data) {
        return new WebSocketMessage(ByteBuffer.wrap(data.clone()), false);
    }

    WebSocketMessage set(ByteBuffer payload, boolean text) {
        this.payload = payload;
        this.start = payload.position();
        this.text = text;
        this.cachedText = null;
        return this;
    }

    public boolean isText() {
        return text;
    }

    public boolean isBinary() {
        return !text;
    }

    /** The payload decoded as UTF-8 (valid UTF-8 is guaranteed for text messages). */
    public String text() {
        if (cachedText == null) cachedText = text ? Utf8Text.decode(rewound().duplicate()) : new String(bytes(), StandardCharsets.UTF_8);
        return cachedText;
    }

    /** A copy of the payload bytes. */
    public byte[] bytes() {
        ByteBuffer d = rewound().duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    /** A read-only view of the payload (valid as long as the message is). */
    public ByteBuffer buffer() {
        return rewound().asReadOnlyBuffer();
    }

    /** Payload length in bytes. */
    public int length() {
        return payload.limit() - start;
    }

    /** A copy that stays valid after the callback. */
    public WebSocketMessage copy() {
        WebSocketMessage m = new WebSocketMessage(ByteBuffer.wrap(bytes()), text);
        m.cachedText = cachedText;
        return m;
    }

    /**
     * The payload buffer itself, rewound, for a send or publish to consume: no view is allocated per
     * message (the echo and fan-out hot paths). Loop thread, or a thread that owns the message.
     */
    ByteBuffer rewound() {
        return payload.position(start);
    }

    @Override
    public String toString() {
        return text ? "text(" + length() + "): " + (length() <= 64 ? text() : text().substring(0, 64) + "...")
                : "binary(" + length() + ")";
    }
}

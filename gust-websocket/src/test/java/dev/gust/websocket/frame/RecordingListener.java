package dev.gust.websocket.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Records parser events as short strings so tests compare whole event sequences. */
class RecordingListener implements FrameListener {
    final List<String> events = new ArrayList<>();
    /** The buffers handed over, to check zero-copy delivery (only meaningful during a feed). */
    final List<ByteBuffer> buffers = new ArrayList<>();
    Runnable afterEachEvent = () -> {};

    static String describe(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(b.position(), bytes);
        return bytes.length <= 64 ? HexFormat.of().formatHex(bytes) : "[" + bytes.length + "]#" + Arrays.hashCode(bytes);
    }

    private void record(String event, ByteBuffer buffer) {
        events.add(event);
        buffers.add(buffer);
        afterEachEvent.run();
    }

    @Override public void onText(ByteBuffer utf8) {
        String s = Utf8Text.decode(utf8);
        record("text:" + (s.length() <= 64 ? s : "[" + s.length() + "]#" + s.hashCode()), utf8);
    }

    @Override public void onBinary(ByteBuffer data) {
        record("binary:" + describe(data), data);
    }

    @Override public void onPing(ByteBuffer payload) {
        record("ping:" + describe(payload), payload);
    }

    @Override public void onPong(ByteBuffer payload) {
        record("pong:" + describe(payload), payload);
    }

    @Override public void onClose(int code, String reason) {
        record("close:" + code + ":" + reason, null);
    }

    @Override public void onProtocolError(int closeCode, String message) {
        record("error:" + closeCode, null);
    }

    @Override public void onCompressed(boolean text, ByteBuffer compressedPayload) {
        record("compressed:" + (text ? "text:" : "binary:") + describe(compressedPayload), compressedPayload);
    }
}

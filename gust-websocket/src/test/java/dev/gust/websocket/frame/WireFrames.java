package dev.gust.websocket.frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds raw frames byte by byte, independently of FrameWriter, including malformed ones. */
final class WireFrames {
    static final int MINIMAL = 0;
    static final int LEN16 = 16;
    static final int LEN64 = 64;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean mask;
    private int nextKey = 0x37FA213D;

    private WireFrames(boolean mask) {
        this.mask = mask;
    }

    /** Frames as a client sends them (masked), for a server-role parser. */
    static WireFrames fromClient() {
        return new WireFrames(true);
    }

    /** Frames as a server sends them (unmasked), for a client-role parser. */
    static WireFrames fromServer() {
        return new WireFrames(false);
    }

    WireFrames text(String s) {
        return frame(true, 0, 0x1, utf8(s));
    }

    WireFrames binary(byte[] b) {
        return frame(true, 0, 0x2, b);
    }

    WireFrames frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return frame(fin, rsv, opcode, payload, MINIMAL);
    }

    WireFrames frame(boolean fin, int rsv, int opcode, byte[] payload, int lengthForm) {
        return raw(fin, rsv, opcode, mask, payload.length, payload, lengthForm);
    }

    /** Full control: the mask bit and declared length may disagree with reality. */
    WireFrames raw(boolean fin, int rsv, int opcode, boolean masked, long declaredLength, byte[] payload, int lengthForm) {
        out.write((fin ? 0x80 : 0) | rsv | opcode);
        int maskBit = masked ? 0x80 : 0;
        int form = lengthForm != MINIMAL ? lengthForm : declaredLength <= 125 ? 7 : declaredLength <= 0xFFFF ? LEN16 : LEN64;
        if (form == 7) {
            out.write(maskBit | (int) declaredLength);
        } else if (form == LEN16) {
            out.write(maskBit | 126);
            out.write((int) (declaredLength >>> 8));
            out.write((int) declaredLength);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (declaredLength >>> shift));
            }
        }
        int key = nextKey;
        nextKey = nextKey * 31 + 0x1234567; // vary keys so mask phase bugs show
        if (masked) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(key >>> shift);
            }
        }
        for (int i = 0; i < payload.length; i++) {
            int k = masked ? (key >>> (24 - 8 * (i & 3))) & 0xFF : 0;
            out.write(payload[i] ^ k);
        }
        return this;
    }

    WireFrames bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}

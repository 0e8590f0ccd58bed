package dev.gust.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Byte helpers shared by the cases: repeated payloads, strict UTF-8 validation, readable descriptions. */
public final class Payloads {
    private Payloads() {}

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Bytes from a Python-2 style byte string, where each char is one octet ("\xce\xba" etc.). */
    public static byte[] octets(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    public static byte[] repeat(byte[] unit, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = unit[i % unit.length];
        return out;
    }

    public static byte[] repeat(char c, int length) { return repeat(new byte[] {(byte) c}, length); }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) { System.arraycopy(p, 0, out, at, p.length); at += p.length; }
        return out;
    }

    /** Strict UTF-8 (RFC 3629: no surrogates, no overlongs, nothing above U+10FFFF). */
    public static boolean isValidUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    public static byte[] utf8(int codePoint) {
        return new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    }

    public static String describe(byte[] p, boolean binary) {
        if (p.length > 64) return p.length + " octets";
        if (!binary && isValidUtf8(p)) return "'" + new String(p, StandardCharsets.UTF_8) + "'";
        return "0x" + HexFormat.of().formatHex(p);
    }
}

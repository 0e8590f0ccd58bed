package dev.gust.http.parse;

import dev.gust.http.internal.Ascii;
import java.nio.ByteBuffer;

/** The header fields whose meaning the parser itself needs, recognised by name while parsing. */
final class KnownHeader {
    private KnownHeader() {}

    static final byte OTHER = 0;
    static final byte HOST = 1;
    static final byte CONTENT_LENGTH = 2;
    static final byte TRANSFER_ENCODING = 3;
    static final byte CONNECTION = 4;
    static final byte EXPECT = 5;
    static final byte UPGRADE = 6;

    private static final byte[] HOST_NAME = bytes("host");
    private static final byte[] CONTENT_LENGTH_NAME = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING_NAME = bytes("transfer-encoding");
    private static final byte[] CONNECTION_NAME = bytes("connection");
    private static final byte[] EXPECT_NAME = bytes("expect");
    private static final byte[] UPGRADE_NAME = bytes("upgrade");

    /** Classifies the header name at {@code buf[offset, offset+length)} (case-insensitive). */
    static byte classify(ByteBuffer buf, int offset, int length) {
        // The length alone rules out almost every other header.
        return switch (length) {
            case 4 -> is(HOST_NAME, buf, offset) ? HOST : OTHER;
            case 6 -> is(EXPECT_NAME, buf, offset) ? EXPECT : OTHER;
            case 7 -> is(UPGRADE_NAME, buf, offset) ? UPGRADE : OTHER;
            case 10 -> is(CONNECTION_NAME, buf, offset) ? CONNECTION : OTHER;
            case 14 -> is(CONTENT_LENGTH_NAME, buf, offset) ? CONTENT_LENGTH : OTHER;
            case 17 -> is(TRANSFER_ENCODING_NAME, buf, offset) ? TRANSFER_ENCODING : OTHER;
            default -> OTHER;
        };
    }

    private static boolean is(byte[] lowerName, ByteBuffer buf, int offset) {
        for (int i = 0; i < lowerName.length; i++) {
            if (Ascii.lower(buf.get(offset + i)) != lowerName[i]) return false;
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

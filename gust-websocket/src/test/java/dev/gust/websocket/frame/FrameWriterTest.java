package dev.gust.websocket.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gust.websocket.OpCode;
import dev.gust.websocket.frame.FrameParser.Role;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
    private static final int RFC_KEY = 0x37FA213D;

    private static String written(java.util.function.Consumer<ByteBuffer> write) {
        ByteBuffer dst = ByteBuffer.allocate(70_000).order(ByteOrder.LITTLE_ENDIAN); // order must not matter
        write.accept(dst);
        byte[] out = new byte[dst.position()];
        dst.get(0, out);
        return HexFormat.of().formatHex(out);
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rfcExamplesAreWrittenByteForByte() {
        assertEquals("810548656c6c6f", written(d -> FrameWriter.writeFrame(d, OpCode.TEXT, utf8("Hello"))));
        assertEquals("818537fa213d7f9f4d5158", written(d -> FrameWriter.writeMaskedFrame(d, OpCode.TEXT, utf8("Hello"), RFC_KEY)));
        assertEquals("890548656c6c6f", written(d -> FrameWriter.writeFrame(d, OpCode.PING, utf8("Hello"))));
        assertEquals("827e0100", written(d -> FrameWriter.writeHeader(d, OpCode.BINARY, true, 0, 256)));
        assertEquals("827f0000000000010000", written(d -> FrameWriter.writeHeader(d, OpCode.BINARY, true, 0, 65536)));
        assertEquals("0103", written(d -> FrameWriter.writeHeader(d, OpCode.TEXT, false, 0, 3)));
        assertEquals("8002", written(d -> FrameWriter.writeHeader(d, OpCode.CONTINUATION, true, 0, 2)));
        assertEquals("c105", written(d -> FrameWriter.writeHeader(d, OpCode.TEXT, true, FrameParser.RSV1, 5)));
    }

    @Test
    void lengthFormBoundaries() {
        long[][] cases = {{0, 2}, {125, 2}, {126, 4}, {65535, 4}, {65536, 10}, {1L << 40, 10}};
        for (long[] c : cases) {
            ByteBuffer d = ByteBuffer.allocate(14);
            assertEquals(c[1], FrameWriter.writeHeader(d, OpCode.BINARY, true, 0, c[0]), "length " + c[0]);
            assertEquals(c[1], FrameWriter.headerLength(c[0], false));
            ByteBuffer m = ByteBuffer.allocate(14);
            assertEquals(c[1] + 4, FrameWriter.writeMaskedHeader(m, OpCode.BINARY, true, 0, c[0], 1));
            assertEquals(c[1] + 4, FrameWriter.headerLength(c[0], true));
        }
    }

    @Test
    void headerPlusPayloadGatherEqualsWholeFrameAndLeavesPayloadAlone() {
        byte[] data = new byte[1000];
        new Random(5).nextBytes(data);
        ByteBuffer payload = ByteBuffer.wrap(data.clone());
        ByteBuffer header = ByteBuffer.allocate(FrameWriter.MAX_HEADER_LENGTH);
        FrameWriter.writeHeader(header, OpCode.BINARY, true, 0, payload.remaining());
        header.flip();
        byte[] gathered = new byte[header.remaining() + payload.remaining()];
        ByteBuffer.wrap(gathered).put(header).put(payload.duplicate());
        assertEquals(HexFormat.of().formatHex(gathered), written(d -> FrameWriter.writeFrame(d, OpCode.BINARY, payload)));
        assertEquals(0, payload.position());
        assertArrayEquals(data, payload.array());
        written(d -> FrameWriter.writeMaskedFrame(d, OpCode.BINARY, payload, 0x01020304));
        assertArrayEquals(data, payload.array(), "masking works on the copy");
    }

    @Test
    void framesRoundTripThroughTheParserInBothRoles() {
        for (Role role : Role.values()) {
            boolean masked = role == Role.SERVER; // a server parses what clients write
            ByteBuffer wire = ByteBuffer.allocate(200_000);
            var random = new Random(7);
            byte[] big = new byte[70_000];
            random.nextBytes(big);
            write(wire, masked, OpCode.TEXT, false, utf8("Hel"), random);
            write(wire, masked, OpCode.PING, true, utf8("ping"), random);
            write(wire, masked, OpCode.CONTINUATION, true, utf8("lo"), random);
            write(wire, masked, OpCode.BINARY, true, ByteBuffer.wrap(big), random);
            write(wire, masked, OpCode.PONG, true, ByteBuffer.allocate(0), random);
            if (masked) {
                ByteBuffer close = ByteBuffer.allocate(125);
                FrameWriter.writeClosePayload(close, 1000, "bye");
                write(wire, true, OpCode.CLOSE, true, close.flip(), random);
            } else {
                FrameWriter.writeCloseFrame(wire, 1000, "bye");
            }
            var listener = new RecordingListener();
            new FrameParser(role, 1 << 20, listener).feed(wire.flip());
            assertEquals(List.of("ping:70696e67", "text:Hello",
                    "binary:" + RecordingListener.describe(ByteBuffer.wrap(big)), "pong:", "close:1000:bye"), listener.events, role.name());
        }
    }

    private static void write(ByteBuffer wire, boolean masked, OpCode op, boolean fin, ByteBuffer payload, Random random) {
        if (masked) {
            int key = random.nextInt();
            FrameWriter.writeMaskedHeader(wire, op, fin, 0, payload.remaining(), key);
            int start = wire.position();
            wire.put(payload.duplicate());
            Masking.apply(wire, start, wire.position(), key, 0);
        } else {
            FrameWriter.writeHeader(wire, op, fin, 0, payload.remaining());
            wire.put(payload.duplicate());
        }
    }

    @Test
    void closeFramesCarryCodeAndReason() {
        assertEquals("880503e8627965", written(d -> FrameWriter.writeCloseFrame(d, 1000, "bye")));
        assertEquals("880203e9", written(d -> FrameWriter.writeCloseFrame(d, 1001, "")));
        String longest = "é".repeat(61) + "x"; // 123 bytes
        assertEquals(2 + 2 + 123, written(d -> FrameWriter.writeCloseFrame(d, 4000, longest)).length() / 2);
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeCloseFrame(ByteBuffer.allocate(200), 1000, longest + "x"));
        for (int code : new int[] {999, 1005, 1006, 1015, 2000, 5000}) {
            assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeClosePayload(ByteBuffer.allocate(10), code, ""), "code " + code);
        }
    }

    @Test
    void controlFrameLimitsAndBadArgumentsAreRefused() {
        ByteBuffer d = ByteBuffer.allocate(20);
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(d, OpCode.PING, true, 0, 126));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(d, OpCode.PONG, false, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(d, OpCode.TEXT, true, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(d, OpCode.TEXT, true, 0x80, 1));
        assertThrows(BufferOverflowException.class, () -> FrameWriter.writeFrame(ByteBuffer.allocate(3), OpCode.TEXT, utf8("Hello")));
    }

    // ------------------------------------------------------------------ PreparedMessage

    @Test
    void preparedMessageIsFramedOnceAndViewedPerWrite() {
        PreparedMessage msg = PreparedMessage.text("Hello");
        assertEquals(OpCode.TEXT, msg.opcode());
        assertEquals(7, msg.frameLength());
        assertEquals(5, msg.payloadLength());
        ByteBuffer a = msg.frame();
        ByteBuffer b = msg.frame();
        a.get(); // consuming one view must not affect the other
        assertEquals(7, b.remaining());
        assertEquals(true, a.isReadOnly());
        byte[] bytes = new byte[7];
        b.get(bytes);
        assertEquals("810548656c6c6f", HexFormat.of().formatHex(bytes));
        assertEquals("Hello", Utf8Text.decode(msg.payload()));
        ByteBuffer cork = ByteBuffer.allocate(20);
        cork.put((byte) 1);
        msg.copyTo(cork);
        assertEquals(8, cork.position());
        assertThrows(BufferOverflowException.class, () -> msg.copyTo(ByteBuffer.allocate(6)));
    }

    @Test
    void preparedMessageVariantsParseBack() {
        byte[] data = new byte[300];
        new Random(9).nextBytes(data);
        ByteBuffer source = ByteBuffer.wrap(data);
        PreparedMessage direct = PreparedMessage.of(OpCode.BINARY, source, false, true);
        assertEquals(0, source.position(), "source untouched");
        assertEquals(true, direct.isDirect());
        PreparedMessage compressed = PreparedMessage.of(OpCode.TEXT, utf8("zz"), true, false);
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.CLIENT, 1 << 20, listener);
        parser.allowRsv1OnDataMessages(true);
        parser.feed(copyOf(direct.frame()));
        parser.feed(copyOf(compressed.frame()));
        parser.feed(copyOf(PreparedMessage.binary(new byte[] {1, 2}).frame()));
        assertEquals(List.of("binary:" + RecordingListener.describe(ByteBuffer.wrap(data)), "compressed:text:7a7a", "binary:0102"),
                listener.events);
        assertThrows(IllegalArgumentException.class, () -> PreparedMessage.of(OpCode.CONTINUATION, utf8("x"), false, false));
        assertThrows(IllegalArgumentException.class, () -> PreparedMessage.of(OpCode.PING, ByteBuffer.allocate(126), false, false));
    }

    private static ByteBuffer copyOf(ByteBuffer readOnly) {
        ByteBuffer copy = ByteBuffer.allocate(readOnly.remaining());
        return copy.put(readOnly).flip();
    }
}

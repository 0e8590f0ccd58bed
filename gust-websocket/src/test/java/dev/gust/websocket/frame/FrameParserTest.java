package dev.gust.websocket.frame;

import static dev.gust.websocket.frame.WireFrames.LEN16;
import static dev.gust.websocket.frame.WireFrames.LEN64;
import static dev.gust.websocket.frame.WireFrames.closePayload;
import static dev.gust.websocket.frame.WireFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.websocket.frame.FrameParser.Role;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    private static final int MAX = 1 << 20;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONT = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    // ------------------------------------------------------------------ harness

    /** Feeds {@code wire} in pieces cut at {@code cuts}, through one reused read buffer. */
    private static List<String> parse(Role role, int max, boolean rsv1, byte[] wire, int[] cuts, boolean direct) {
        var listener = new RecordingListener();
        var parser = new FrameParser(role, max, listener);
        parser.allowRsv1OnDataMessages(rsv1);
        ByteBuffer read = direct ? ByteBuffer.allocateDirect(wire.length + 16) : ByteBuffer.allocate(wire.length + 16);
        int prev = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int cut = i < cuts.length ? cuts[i] : wire.length;
            // The loop's shared buffer is overwritten between reads: stale data must not matter.
            read.clear();
            read.put(0, garbage(read.capacity()));
            read.position(5);
            read.put(wire, prev, cut - prev);
            read.limit(read.position()).position(5);
            parser.feed(read);
            assertEquals(read.limit(), read.position(), "feed consumes everything");
            prev = cut;
        }
        return listener.events;
    }

    private static byte[] garbage = new byte[0];

    private static byte[] garbage(int length) {
        if (garbage.length != length) {
            garbage = new byte[length];
            java.util.Arrays.fill(garbage, (byte) 0xEE);
        }
        return garbage;
    }

    private static List<String> parse(Role role, byte[] wire) {
        return parse(role, MAX, false, wire, new int[0], false);
    }

    /** The same events whole, split at every position, byte by byte and in random pieces. */
    private static void assertEvents(Role role, int max, boolean rsv1, byte[] wire, List<String> expected) {
        assertEquals(expected, parse(role, max, rsv1, wire, new int[0], false), "whole");
        assertEquals(expected, parse(role, max, rsv1, wire, new int[0], true), "whole, direct buffer");
        TreeSet<Integer> cutPoints = new TreeSet<>();
        var random = new Random(wire.length);
        if (wire.length <= 2048) {
            for (int i = 0; i <= wire.length; i++) {
                cutPoints.add(i);
            }
        } else {
            for (int i = 0; i < 40; i++) {
                cutPoints.add(i);
                cutPoints.add(wire.length - i);
                cutPoints.add(random.nextInt(wire.length));
            }
        }
        for (int cut : cutPoints) {
            assertEquals(expected, parse(role, max, rsv1, wire, new int[] {cut}, cut % 2 == 0), "split at " + cut);
        }
        if (wire.length <= 4096) {
            int[] everyByte = new int[wire.length];
            for (int i = 0; i < wire.length; i++) {
                everyByte[i] = i;
            }
            assertEquals(expected, parse(role, max, rsv1, wire, everyByte, false), "byte by byte");
        }
        for (int run = 0; run < 20; run++) {
            int[] cuts = random.ints(5, 0, wire.length + 1).sorted().toArray();
            assertEquals(expected, parse(role, max, rsv1, wire, cuts, run % 2 == 0), "random cuts");
        }
    }

    private static void assertServerEvents(byte[] wire, String... expected) {
        assertEvents(Role.SERVER, MAX, false, wire, List.of(expected));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ RFC 6455 section 5.7 examples

    @Test
    void rfcExamplesParseByteForByte() {
        byte[] unmaskedHello = HexFormat.of().parseHex("810548656c6c6f");
        assertEvents(Role.CLIENT, MAX, false, unmaskedHello, List.of("text:Hello"));
        byte[] maskedHello = HexFormat.of().parseHex("818537fa213d7f9f4d5158");
        assertEvents(Role.SERVER, MAX, false, maskedHello, List.of("text:Hello"));
        byte[] fragmented = HexFormat.of().parseHex("010348656c80026c6f");
        assertEvents(Role.CLIENT, MAX, false, fragmented, List.of("text:Hello"));
        byte[] ping = HexFormat.of().parseHex("890548656c6c6f");
        assertEvents(Role.CLIENT, MAX, false, ping, List.of("ping:48656c6c6f"));
        byte[] maskedPong = HexFormat.of().parseHex("8a8537fa213d7f9f4d5158");
        assertEvents(Role.SERVER, MAX, false, maskedPong, List.of("pong:48656c6c6f"));
    }

    // ------------------------------------------------------------------ valid traffic

    @Test
    void lengthFormsAtTheirBoundaries() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
            byte[] payload = bytes(length, length);
            byte[] wire = WireFrames.fromClient().binary(payload).toBytes();
            assertServerEvents(wire, "binary:" + RecordingListener.describe(ByteBuffer.wrap(payload)));
        }
    }

    @Test
    void nonMinimalLengthEncodingsAreAccepted() {
        byte[] wire = WireFrames.fromClient()
                .frame(true, 0, TEXT, utf8("abc"), LEN16)
                .frame(true, 0, BINARY, new byte[] {1, 2}, LEN64)
                .frame(true, 0, PING, new byte[] {9}, LEN16)
                .toBytes();
        assertServerEvents(wire, "text:abc", "binary:0102", "ping:09");
    }

    @Test
    void manyFramesInOneBufferAllDelivered() {
        var frames = WireFrames.fromClient();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.text("m" + i);
            expected.add("text:m" + i);
        }
        assertEvents(Role.SERVER, MAX, false, frames.toBytes(), expected);
    }

    @Test
    void fragmentedMessagesWithInterleavedControlFramesDeliverControlsFirst() {
        byte[] wire = WireFrames.fromClient()
                .frame(false, 0, TEXT, utf8("Hel"))
                .frame(true, 0, PING, utf8("p1"))
                .frame(false, 0, CONT, utf8(""))
                .frame(true, 0, PONG, utf8(""))
                .frame(false, 0, CONT, utf8("lo "))
                .frame(true, 0, CONT, utf8("wörld"))
                .frame(false, 0, BINARY, new byte[] {1})
                .frame(true, 0, CONT, new byte[] {2, 3})
                .toBytes();
        assertServerEvents(wire, "ping:7031", "pong:", "text:Hello wörld", "binary:010203");
    }

    @Test
    void utf8SequenceSplitAcrossFragmentsIsValid() {
        byte[] euro = utf8("€"); // e2 82 ac
        byte[] wire = WireFrames.fromClient()
                .frame(false, 0, TEXT, new byte[] {'a', euro[0]})
                .frame(false, 0, CONT, new byte[] {euro[1]})
                .frame(true, 0, CONT, new byte[] {euro[2], 'b'})
                .toBytes();
        assertServerEvents(wire, "text:a€b");
    }

    @Test
    void emptyMessagesAndEmptyFragments() {
        byte[] wire = WireFrames.fromClient()
                .text("")
                .binary(new byte[0])
                .frame(false, 0, TEXT, new byte[0])
                .frame(true, 0, CONT, new byte[0])
                .frame(false, 0, BINARY, new byte[0])
                .frame(false, 0, CONT, new byte[0])
                .frame(true, 0, CONT, new byte[] {7})
                .frame(true, 0, PING, new byte[0])
                .toBytes();
        assertServerEvents(wire, "text:", "binary:", "text:", "binary:07", "ping:");
    }

    @Test
    void clientRoleParsesUnmaskedServerFrames() {
        byte[] wire = WireFrames.fromServer()
                .text("hi")
                .frame(false, 0, BINARY, bytes(300, 1))
                .frame(true, 0, CONT, bytes(10, 2))
                .frame(true, 0, CLOSE, closePayload(1001, "bye"))
                .toBytes();
        byte[] joined = new byte[310];
        System.arraycopy(bytes(300, 1), 0, joined, 0, 300);
        System.arraycopy(bytes(10, 2), 0, joined, 300, 10);
        assertEvents(Role.CLIENT, MAX, false, wire,
                List.of("text:hi", "binary:" + RecordingListener.describe(ByteBuffer.wrap(joined)), "close:1001:bye"));
    }

    @Test
    void closeFramesWithoutPayloadWithCodeAndWithReason() {
        assertServerEvents(WireFrames.fromClient().frame(true, 0, CLOSE, new byte[0]).toBytes(), "close:1005:");
        assertServerEvents(WireFrames.fromClient().frame(true, 0, CLOSE, closePayload(1000, "")).toBytes(), "close:1000:");
        assertServerEvents(WireFrames.fromClient().frame(true, 0, CLOSE, closePayload(4001, "déjà vu")).toBytes(),
                "close:4001:déjà vu");
    }

    @Test
    void everyValidCloseCodeIsDelivered() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
            byte[] wire = WireFrames.fromClient().frame(true, 0, CLOSE, closePayload(code, "r")).toBytes();
            assertEquals(List.of("close:" + code + ":r"), parse(Role.SERVER, wire), "code " + code);
        }
    }

    @Test
    void inputAfterCloseIsIgnored() {
        byte[] wire = WireFrames.fromClient()
                .frame(true, 0, CLOSE, closePayload(1000, ""))
                .text("late")
                .bytes(new byte[] {(byte) 0xFF, (byte) 0xFF})
                .toBytes();
        assertServerEvents(wire, "close:1000:");
    }

    // ------------------------------------------------------------------ zero copy and memory

    @Test
    void wholeUnfragmentedMessageIsAWindowOnTheInputBuffer() {
        byte[] wire = WireFrames.fromClient().binary(bytes(1024, 3)).text("x").toBytes();
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, MAX, listener);
        List<Integer> windows = new ArrayList<>();
        ByteBuffer input = ByteBuffer.wrap(wire);
        listener.afterEachEvent = () -> {
            ByteBuffer b = listener.buffers.getLast();
            assertSame(input, b, "delivered in place");
            windows.add(b.position());
            windows.add(b.limit());
        };
        parser.feed(input);
        assertEquals(List.of(8, 8 + 1024, 8 + 1024 + 6, 8 + 1024 + 7), windows);
        assertEquals(wire.length, input.limit(), "limit restored");
    }

    @Test
    void splitOrFragmentedMessagesComeFromTheAccumulationBuffer() {
        byte[] wire = WireFrames.fromClient().binary(bytes(1024, 3)).toBytes();
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, MAX, listener);
        ByteBuffer first = ByteBuffer.wrap(wire, 0, 500);
        ByteBuffer second = ByteBuffer.wrap(wire, 500, wire.length - 500);
        listener.afterEachEvent = () -> {
            assertNotSame(second, listener.buffers.getLast());
            assertEquals(1024, listener.buffers.getLast().remaining());
        };
        parser.feed(first);
        parser.feed(second);
        assertEquals(1, listener.events.size());
    }

    @Test
    void accumulationGrowsWithReceivedBytesNotDeclaredLength() {
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, 4 << 20, listener);
        byte[] wire = WireFrames.fromClient().binary(bytes(2 << 20, 4)).toBytes();
        parser.feed(ByteBuffer.wrap(wire, 0, 14 + 100)); // header declares 2 MiB, 100 bytes arrive
        assertTrue(parser.messageBufferCapacity() <= 256, "capacity " + parser.messageBufferCapacity());
        parser.feed(ByteBuffer.wrap(wire, 114, wire.length - 114));
        assertEquals(1, listener.events.size());
        assertEquals(0, parser.messageBufferCapacity(), "a large buffer is released after the message");
    }

    // ------------------------------------------------------------------ protocol violations, each with its code

    private static void assertServerError(int code, byte[] wire, String... eventsBefore) {
        List<String> expected = new ArrayList<>(List.of(eventsBefore));
        expected.add("error:" + code);
        assertEvents(Role.SERVER, MAX, false, wire, expected);
    }

    @Test
    void reservedBitsWithoutExtensionAre1002() {
        for (int rsv : new int[] {0x40, 0x20, 0x10, 0x70}) {
            assertServerError(1002, WireFrames.fromClient().frame(true, rsv, TEXT, utf8("x")).toBytes());
            assertServerError(1002, WireFrames.fromClient().frame(true, rsv, PING, utf8("x")).toBytes());
        }
    }

    @Test
    void rsv1HookAllowsItOnlyOnTheFirstFrameOfDataMessages() {
        byte[] ok = WireFrames.fromClient()
                .frame(true, 0x40, TEXT, new byte[] {(byte) 0xFF}) // not validated: still compressed
                .frame(false, 0x40, BINARY, new byte[] {1})
                .frame(true, 0, CONT, new byte[] {2})
                .text("plain")
                .toBytes();
        assertEvents(Role.SERVER, MAX, true, ok, List.of("compressed:text:ff", "compressed:binary:0102", "text:plain"));
        byte[] onContinuation = WireFrames.fromClient().frame(false, 0, TEXT, utf8("a")).frame(true, 0x40, CONT, utf8("b")).toBytes();
        assertEvents(Role.SERVER, MAX, true, onContinuation, List.of("error:1002"));
        byte[] onControl = WireFrames.fromClient().frame(true, 0x40, PING, new byte[0]).toBytes();
        assertEvents(Role.SERVER, MAX, true, onControl, List.of("error:1002"));
        byte[] rsv2 = WireFrames.fromClient().frame(true, 0x20, TEXT, utf8("a")).toBytes();
        assertEvents(Role.SERVER, MAX, true, rsv2, List.of("error:1002"));
    }

    @Test
    void reservedOpcodesAre1002() {
        for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertServerError(1002, WireFrames.fromClient().text("ok").frame(true, 0, op, utf8("x")).toBytes(), "text:ok");
        }
    }

    @Test
    void maskingRuleDependsOnRoleAnd1002() {
        byte[] unmasked = WireFrames.fromServer().text("x").toBytes();
        assertServerError(1002, unmasked);
        byte[] masked = WireFrames.fromClient().text("x").toBytes();
        assertEvents(Role.CLIENT, MAX, false, masked, List.of("error:1002"));
    }

    @Test
    void controlFrameRulesAre1002() {
        assertServerError(1002, WireFrames.fromClient().frame(true, 0, PING, bytes(126, 1)).toBytes());
        assertServerError(1002, WireFrames.fromClient().frame(true, 0, CLOSE, bytes(200, 1)).toBytes());
        assertServerError(1002, WireFrames.fromClient().frame(false, 0, PING, utf8("x")).toBytes());
        assertServerError(1002, WireFrames.fromClient().frame(false, 0, PONG, new byte[0]).toBytes());
        // 125 is the largest legal control payload.
        assertServerEvents(WireFrames.fromClient().frame(true, 0, PONG, new byte[125]).toBytes(),
                "pong:" + RecordingListener.describe(ByteBuffer.allocate(125)));
    }

    @Test
    void fragmentationSequenceErrorsAre1002() {
        assertServerError(1002, WireFrames.fromClient().frame(true, 0, CONT, utf8("x")).toBytes());
        assertServerError(1002, WireFrames.fromClient().text("done").frame(false, 0, CONT, utf8("x")).toBytes(), "text:done");
        assertServerError(1002, WireFrames.fromClient().frame(false, 0, TEXT, utf8("a")).text("b").toBytes());
        assertServerError(1002, WireFrames.fromClient().frame(false, 0, BINARY, utf8("a")).frame(true, 0, BINARY, utf8("b")).toBytes());
    }

    @Test
    void sixtyFourBitLengthWithTopBitIs1002() {
        byte[] wire = WireFrames.fromClient().raw(true, 0, BINARY, true, 0x8000_0000_0000_0001L, new byte[0], LEN64).toBytes();
        assertServerError(1002, wire);
    }

    @Test
    void closePayloadOfOneByteIs1002() {
        assertServerError(1002, WireFrames.fromClient().frame(true, 0, CLOSE, new byte[] {3}).toBytes());
    }

    @Test
    void invalidCloseCodesAre1002() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            byte[] wire = WireFrames.fromClient().frame(true, 0, CLOSE, closePayload(code, "")).toBytes();
            assertEquals(List.of("error:1002"), parse(Role.SERVER, wire), "code " + code);
        }
    }

    @Test
    void invalidUtf8IsAlways1007() {
        byte[] bad = {(byte) 0xCE, (byte) 0xBA, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertServerError(1007, WireFrames.fromClient().frame(true, 0, TEXT, bad).toBytes());
        byte[] badReason = closePayload(1000, "");
        badReason = java.util.Arrays.copyOf(badReason, 4);
        badReason[2] = (byte) 0xC0;
        badReason[3] = (byte) 0x80;
        assertServerError(1007, WireFrames.fromClient().frame(true, 0, CLOSE, badReason).toBytes());
        // Truncated sequence at the end of a message.
        assertServerError(1007, WireFrames.fromClient().frame(false, 0, TEXT, utf8("a")).frame(true, 0, CONT, new byte[] {(byte) 0xE2, (byte) 0x82}).toBytes());
        assertServerError(1007, WireFrames.fromClient().frame(true, 0, TEXT, new byte[] {(byte) 0xF0}).toBytes());
    }

    @Test
    void invalidUtf8FailsFastBeforeTheMessageOrFrameEnds() {
        // Only the first fragment arrives; its invalid byte must already be reported.
        byte[] firstFragment = WireFrames.fromClient().frame(false, 0, TEXT, new byte[] {'o', 'k', (byte) 0xFF}).toBytes();
        assertServerError(1007, firstFragment);
        // Only part of a large frame arrives; the invalid byte inside it is reported at once.
        byte[] payload = utf8("a".repeat(1000));
        payload[10] = (byte) 0x80;
        byte[] wire = WireFrames.fromClient().frame(true, 0, TEXT, payload).toBytes();
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, MAX, listener);
        parser.feed(ByteBuffer.wrap(wire, 0, 8 + 50));
        assertEquals(List.of("error:1007"), listener.events);
        assertTrue(parser.isFinished());
    }

    @Test
    void oversizedMessagesAre1009BeforeThePayloadArrives() {
        int max = 1000;
        // Header only, declaring one byte too many: refused without the payload.
        byte[] header = java.util.Arrays.copyOf(WireFrames.fromClient().binary(new byte[max + 1]).toBytes(), 8);
        assertEvents(Role.SERVER, max, false, header, List.of("error:1009"));
        byte[] huge = WireFrames.fromClient().raw(true, 0, BINARY, true, 1L << 62, new byte[0], LEN64).toBytes();
        assertEvents(Role.SERVER, max, false, huge, List.of("error:1009"));
        // Fragments adding up past the limit: the offending fragment's header is refused.
        byte[] fragments = WireFrames.fromClient()
                .frame(false, 0, BINARY, new byte[600])
                .frame(false, 0, CONT, new byte[400])
                .frame(true, 0, CONT, new byte[1])
                .toBytes();
        assertEvents(Role.SERVER, max, false, fragments, List.of("error:1009"));
        // Exactly the limit is fine.
        byte[] exact = WireFrames.fromClient().frame(false, 0, BINARY, new byte[600]).frame(true, 0, CONT, new byte[400]).toBytes();
        assertEvents(Role.SERVER, max, false, exact, List.of("binary:" + RecordingListener.describe(ByteBuffer.allocate(1000))));
    }

    @Test
    void inputAfterAnErrorIsIgnored() {
        byte[] wire = WireFrames.fromClient().frame(true, 0x20, TEXT, utf8("x")).text("never").toBytes();
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, MAX, listener);
        parser.feed(ByteBuffer.wrap(wire));
        parser.feed(ByteBuffer.wrap(WireFrames.fromClient().text("later").toBytes()));
        assertEquals(List.of("error:1002"), listener.events);
    }

    @Test
    void stopFromACallbackEndsDeliveryAtOnce() {
        byte[] wire = WireFrames.fromClient().text("one").text("two").toBytes();
        var listener = new RecordingListener();
        var parser = new FrameParser(Role.SERVER, MAX, listener);
        listener.afterEachEvent = parser::stop;
        ByteBuffer in = ByteBuffer.wrap(wire);
        parser.feed(in);
        assertEquals(List.of("text:one"), listener.events);
        assertEquals(wire.length, in.position());
        assertTrue(parser.isFinished());
        assertFalse(parser.isMessageOpen());
    }

    // ------------------------------------------------------------------ randomized round trip

    @Test
    void randomConversationsParseIdenticallyUnderRandomSplits() {
        var random = new Random(42);
        for (int conversation = 0; conversation < 200; conversation++) {
            var frames = WireFrames.fromClient();
            List<String> expected = new ArrayList<>();
            int messages = 1 + random.nextInt(6);
            for (int m = 0; m < messages; m++) {
                boolean text = random.nextBoolean();
                String content = text ? randomText(random) : null;
                byte[] payload = text ? utf8(content) : bytes(random.nextInt(300), random.nextInt());
                int fragments = 1 + random.nextInt(4);
                int start = 0;
                for (int f = 0; f < fragments; f++) {
                    int end = f == fragments - 1 ? payload.length : start + random.nextInt(payload.length - start + 1);
                    byte[] part = java.util.Arrays.copyOfRange(payload, start, end);
                    frames.frame(f == fragments - 1, 0, f == 0 ? (text ? TEXT : BINARY) : CONT, part);
                    if (f < fragments - 1 && random.nextInt(3) == 0) { // a control frame inside the message
                        byte[] ping = bytes(random.nextInt(126), random.nextInt());
                        frames.frame(true, 0, PING, ping);
                        expected.add("ping:" + RecordingListener.describe(ByteBuffer.wrap(ping)));
                    }
                    start = end;
                }
                expected.add(text ? "text:" + (content.length() <= 64 ? content : "[" + content.length() + "]#" + content.hashCode())
                        : "binary:" + RecordingListener.describe(ByteBuffer.wrap(payload)));
            }
            byte[] wire = frames.toBytes();
            for (int run = 0; run < 5; run++) {
                int[] cuts = random.ints(random.nextInt(8), 0, wire.length + 1).sorted().toArray();
                assertEquals(expected, parse(Role.SERVER, MAX, false, wire, cuts, random.nextBoolean()), "conversation " + conversation);
            }
        }
    }

    private static String randomText(Random random) {
        String[] pieces = {"a", "hello ", "é", "€", "日本", "😀", "\u0000", "z"};
        var sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }
}

package dev.gust.http.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.http.parse.HttpRequestHandler;
import dev.gust.http.parse.HttpRequestHead;
import dev.gust.http.parse.HttpRequestParser;
import dev.gust.http.parse.ParseResult;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResponseWritingTest {
    private static final long FIXED_MILLIS = 784_111_777_000L;   // Sun, 06 Nov 1994 08:49:37 GMT
    private final AtomicLong clock = new AtomicLong(FIXED_MILLIS);
    private final ResponseHeadWriter writer = new ResponseHeadWriter(new DateHeader(clock::get));
    private final ByteBuffer out = ByteBuffer.allocate(1024);

    private String written() {
        return new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesAStatusLineHeadersAndContentLength() {
        writer.start(out, 200).header("Content-Type", "text/plain; charset=utf-8").header("X-Count", 12345L)
                .contentLength(5).end();
        assertEquals("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nX-Count: 12345\r\nContent-Length: 5\r\n\r\n", written());
    }

    @Test
    void repeatedHeadersFromTheCacheAreByteForByteTheSameAndMutableValuesAreNeverCached() {
        StringBuilder mutable = new StringBuilder("a");
        String dynamicPrefix = "v";
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            writer.start(out, 200).header("Content-Type", "text/plain").header("X-Mutable", mutable)
                    .header("X-Dynamic", dynamicPrefix + i).header("Content-Type", "text/html").contentLength(0).end();
            expected.append("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n")
                    .append("X-Mutable: ").append(mutable).append("\r\nX-Dynamic: v").append(i)
                    .append("\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n");
            mutable.append('b'); // same reference, new content: must be written as it is now
        }
        assertEquals(expected.toString(), written());
        // an invalid value is refused every time, never remembered
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalArgumentException.class, () -> writer.start(out.clear(), 200).header("X-Bad", "a\r\nb"));
        }
    }

    @Test
    void writesChunkedAndConnectionHeaders() {
        writer.start(out, 201).chunked().connectionKeepAlive().end();
        writer.start(out, 404).contentLength(0).connectionClose().end();
        assertEquals("HTTP/1.1 201 Created\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: keep-alive\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n", written());
    }

    @Test
    void writesErrorAndContinueResponses() {
        writer.writeError(out, 431);
        ResponseHeadWriter.writeContinue(out);
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n", written());
    }

    @Test
    void unnamedStatusCodesHaveAnEmptyReasonAndInvalidOnesAreRefused() {
        writer.start(out, 599).end();
        assertTrue(written().startsWith("HTTP/1.1 599 \r\n"), written());
        assertThrows(IllegalArgumentException.class, () -> writer.start(out, 99));
        assertThrows(IllegalArgumentException.class, () -> writer.start(out, 600));
    }

    @Test
    void refusesHeaderInjection() {
        writer.start(out, 200);
        assertThrows(IllegalArgumentException.class, () -> writer.header("X-A", "a\r\nSet-Cookie: evil=1"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X-A", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X-A", "nul\u0000"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X-A", "\u20ac"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X A", "v"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X:A", "v"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("", "v"));
        assertThrows(IllegalArgumentException.class, () -> writer.header("X-N", -1L));
    }

    @Test
    void latin1AndTabsInValuesAreWrittenAsIs() {
        writer.start(out, 200).header("X-A", "caf\u00e9\tok").end();
        assertTrue(written().contains("X-A: caf\u00e9\tok\r\n"));
    }

    @Test
    void overflowIsReportedNotTruncatedSilently() {
        ByteBuffer small = ByteBuffer.allocate(40);
        assertThrows(BufferOverflowException.class, () -> writer.start(small, 200).header("X-Long", "v".repeat(40)));
        ByteBuffer tiny = ByteBuffer.allocate(2);
        assertThrows(BufferOverflowException.class, () -> ChunkedEncoder.writeChunkHeader(tiny, 0x12345));
    }

    @Test
    void dateHeaderMatchesImfFixdateAcrossTheCalendar() {
        DateTimeFormatter imf = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(7);
        long[] fixed = {0, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_000L /* 2100-02-28T23:59:59 */,
                1_709_164_800_000L /* 2024-02-29 */, 253_402_300_799_000L /* 9999-12-31T23:59:59 */};
        for (int i = 0; i < 2_000 + fixed.length; i++) {
            long millis = i < fixed.length ? fixed[i] : random.nextLong(0, 253_402_300_799_000L);
            clock.set(millis);
            DateHeader date = new DateHeader(clock::get);
            assertEquals(imf.format(Instant.ofEpochMilli(millis)), date.value(), "at " + millis);
        }
    }

    @Test
    void dateHeaderChangesOnlyWhenTheSecondChanges() {
        DateHeader date = new DateHeader(clock::get);
        clock.set(FIXED_MILLIS);
        String first = date.value();
        clock.set(FIXED_MILLIS + 999);
        assertEquals(first, date.value());
        clock.set(FIXED_MILLIS + 1000);
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", date.value());
        ByteBuffer line = ByteBuffer.allocate(DateHeader.LENGTH);
        date.write(line);
        assertEquals(0, line.remaining());
    }

    @Test
    void chunkedEncodingRoundTripsThroughTheParser() {
        ByteBuffer wire = ByteBuffer.allocate(4096);
        wire.put("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int size : new int[] {1, 15, 16, 255, 256, 1000, 0}) {
            byte[] piece = new byte[size];
            for (int i = 0; i < size; i++) piece[i] = (byte) ('a' + (i + size) % 26);
            expected.writeBytes(piece);
            ChunkedEncoder.writeChunk(wire, ByteBuffer.wrap(piece));
        }
        ChunkedEncoder.writeChunkHeader(wire, 3);
        wire.put("xyz".getBytes(StandardCharsets.US_ASCII));
        ChunkedEncoder.writeChunkEnd(wire);
        expected.writeBytes("xyz".getBytes(StandardCharsets.US_ASCII));
        ChunkedEncoder.writeLastChunk(wire);
        wire.flip();

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean[] ended = {false};
        ParseResult result = new HttpRequestParser().feed(wire, new HttpRequestHandler() {
            public boolean onHead(HttpRequestHead head) {
                return true;
            }

            public boolean onBody(ByteBuffer chunk) {
                byte[] b = new byte[chunk.remaining()];
                chunk.get(b);
                body.writeBytes(b);
                return true;
            }

            public boolean onEnd() {
                ended[0] = true;
                return true;
            }
        });
        assertEquals(ParseResult.NEED_MORE, result);
        assertTrue(ended[0]);
        assertEquals(expected.toString(StandardCharsets.ISO_8859_1), body.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkFramingIsLowerCaseHexWithKnownOverhead() {
        ChunkedEncoder.writeChunk(out, ByteBuffer.wrap(new byte[0xAB]));
        assertTrue(written().startsWith("ab\r\n"));
        assertEquals(0xAB + ChunkedEncoder.overhead(0xAB), out.position());
        assertEquals(5, ChunkedEncoder.overhead(1));
        assertEquals(20, ChunkedEncoder.overhead(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> ChunkedEncoder.writeChunkHeader(out, 0));
    }

    @Test
    void writingATypicalResponseHeadAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ResponseHeadWriter systemClock = new ResponseHeadWriter(new DateHeader());
        ByteBuffer body = ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer buffer = ByteBuffer.allocateDirect(512);
        long allocated = 0;
        for (int round = 0; round < 2; round++) {   // first round warms up
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                buffer.clear();
                systemClock.start(buffer, 200).header("Content-Type", "text/plain").contentLength(5).end();
                buffer.put(body.rewind());
                systemClock.start(buffer, 200).chunked().end();
                ChunkedEncoder.writeChunk(buffer, body.rewind());
                ChunkedEncoder.writeLastChunk(buffer);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        // The Date line is re-formatted in place each second, also without allocating.
        assertTrue(allocated < 2_048, "allocated " + allocated + " bytes");
    }
}

package dev.gust.http.response;

import java.nio.ByteBuffer;

/**
 * Frames a response body in the chunked transfer coding (RFC 9112 §7.1), allocating nothing.
 *
 * <pre>{@code
 * ChunkedEncoder.writeChunk(out, data);      // "5\r\nhello\r\n"
 * ChunkedEncoder.writeLastChunk(out);        // "0\r\n\r\n"
 * }</pre>
 *
 * <p>To send a large payload without copying it, write {@link #writeChunkHeader} into a small
 * buffer, send the payload as is, then {@link #writeChunkEnd}.
 */
public final class ChunkedEncoder {
    private ChunkedEncoder() {}

    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    /**
     * Writes {@code data} (position to limit, consumed) as one chunk. Empty data writes nothing,
     * since a zero-size chunk would end the body.
     */
    public static void writeChunk(ByteBuffer out, ByteBuffer data) {
        int size = data.remaining();
        if (size == 0) return;
        writeChunkHeader(out, size);
        out.put(data);
        writeChunkEnd(out);
    }

    /** Writes the chunk-size line {@code <hex size>\r\n} for a chunk of {@code size > 0} bytes. */
    public static void writeChunkHeader(ByteBuffer out, long size) {
        if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
        HeaderEncoding.putHex(out, size);
        HeaderEncoding.putCrlf(out);
    }

    /** Writes the CRLF that follows a chunk's data. */
    public static void writeChunkEnd(ByteBuffer out) {
        HeaderEncoding.putCrlf(out);
    }

    /** Writes the last chunk and the empty trailer section: the end of the body. */
    public static void writeLastChunk(ByteBuffer out) {
        out.put(LAST_CHUNK);
    }

    /** Bytes that framing adds to a chunk of {@code size} bytes (size line plus both CRLFs). */
    public static int overhead(long size) {
        return HeaderEncoding.hexDigits(size) + 4;
    }
}

package dev.gust.loop;

import java.nio.ByteBuffer;

/**
 * The TLS buffers of one loop, created on its first TLS use: all TLS sockets of the loop share
 * them (one thread), so a socket owns buffer memory only while it holds a partial record.
 *
 * <ul>
 *   <li>plaintext: records are decrypted into it and handed to {@code onData} (like the read buffer);
 *   <li>wire: records are encrypted into it and handed to {@code Socket.writeWire} at once;
 *   <li>record buffers: a few spare buffers for partial records, so streaming (where most reads end
 *       inside a record) allocates nothing.
 * </ul>
 */
final class TlsBuffers {
    /** Holds any record of TLS 1.2/1.3 (5 + 16384 + 2048 bytes at most). */
    static final int RECORD_CAPACITY = 20 * 1024;
    private static final int SPARE_RECORDS = 16;

    private final int plainMinimum;
    private ByteBuffer plain, wire;
    private final ByteBuffer[] spare = new ByteBuffer[SPARE_RECORDS];
    private int spareCount;

    TlsBuffers(int plainMinimum) {
        this.plainMinimum = plainMinimum;
    }

    /** The shared plaintext buffer, at least {@code min} bytes. */
    ByteBuffer plain(int min) {
        if (plain == null || plain.capacity() < min) plain = ByteBuffer.allocateDirect(Math.max(min, plainMinimum));
        return plain;
    }

    /** The shared buffer records are encrypted into, at least {@code min} bytes. */
    ByteBuffer wire(int min) {
        if (wire == null || wire.capacity() < min) wire = ByteBuffer.allocateDirect(min);
        return wire;
    }

    /** An empty buffer for a partial record, at least {@code min} bytes (pooled when standard-sized). */
    ByteBuffer takeRecord(int min) {
        if (min <= RECORD_CAPACITY && spareCount > 0) {
            ByteBuffer b = spare[--spareCount];
            spare[spareCount] = null;
            return b;
        }
        return ByteBuffer.allocate(Math.max(min, RECORD_CAPACITY));
    }

    /** Takes back a record buffer that is no longer needed. */
    void giveBack(ByteBuffer b) {
        if (b.capacity() == RECORD_CAPACITY && spareCount < SPARE_RECORDS) spare[spareCount++] = b.clear();
    }
}

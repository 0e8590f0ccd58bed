package dev.gust.loop.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring (io_uring_register PBUF_RING, Linux 5.19+): a pool of equal receive
 * buffers the kernel picks from when a multishot recv completes, so no socket owns receive memory
 * while it waits. A buffer goes back into the ring ({@link #recycle}) once its bytes were copied
 * out; the kernel takes buffers in ring order.
 *
 * <p>Both the ring and the buffers are anonymous mmaps: pages are faulted in as the kernel first
 * fills them, so a quiet loop does not pay for the whole pool. Loop thread only.
 */
final class BufferRing {
    private static final int REGISTER_PBUF_RING = 22, UNREGISTER_PBUF_RING = 23;
    private static final int PROT_RW = 3, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    /** struct io_uring_buf_ring keeps its tail in the reserved field of entry 0 (offset 14). */
    private static final long TAIL_OFFSET = 14;

    final int group, count, size;
    private final MemorySegment err;
    private final Uring uring;
    private final long ringAddress, ringBytes, buffersAddress, buffersBytes;
    private final MemorySegment entries;
    /** Every buffer, as one segment: a buffer is {@code [bid * size, (bid + 1) * size)}. */
    final MemorySegment buffers;
    /** The same memory as a ByteBuffer, for absolute bulk copies into the loop's buffers (no object per copy). */
    final java.nio.ByteBuffer view;
    private final int mask;
    private int tail;

    /** @param count a power of two up to 32768 */
    BufferRing(Uring uring, MemorySegment err, int group, int count, int size) throws IOException {
        if (Integer.bitCount(count) != 1 || count > 32768) throw new IllegalArgumentException("count must be a power of two <= 32768: " + count);
        this.uring = uring;
        this.err = err;
        this.group = group;
        this.count = count;
        this.size = size;
        this.mask = count - 1;
        ringBytes = 16L * count;
        buffersBytes = (long) count * size;
        long ra = LibC.mmap(err, 0, ringBytes, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
        long ba = ra == -1 ? -1 : LibC.mmap(err, 0, buffersBytes, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
        if (ra == -1 || ba == -1) {
            IOException e = new IOException("mmap of the receive buffers: " + LibC.strerror(LibC.errno(err)));
            if (ra != -1) LibC.munmap(err, ra, ringBytes);
            throw e;
        }
        ringAddress = ra;
        buffersAddress = ba;
        entries = MemorySegment.ofAddress(ra).reinterpret(ringBytes);
        buffers = MemorySegment.ofAddress(ba).reinterpret(buffersBytes);
        view = buffers.asByteBuffer();
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(40, 8); // struct io_uring_buf_reg, zeroed
            reg.set(ValueLayout.JAVA_LONG, 0, ra);
            reg.set(ValueLayout.JAVA_INT, 8, count);
            reg.set(ValueLayout.JAVA_SHORT, 12, (short) group);
            uring.register(REGISTER_PBUF_RING, reg.address(), 1, "provided buffer ring");
        } catch (IOException | RuntimeException e) {
            unmap();
            throw e;
        }
        for (int bid = 0; bid < count; bid++) put(bid);
        publish();
    }

    /** The kernel may fill buffer {@code bid} again. */
    void recycle(int bid) {
        put(bid);
        publish();
    }

    private void put(int bid) {
        long at = 16L * (tail & mask);
        // Never touch bytes 14-15 of an entry: in entry 0 they are the ring's tail.
        entries.set(ValueLayout.JAVA_LONG, at, buffersAddress + (long) bid * size);
        entries.set(ValueLayout.JAVA_INT, at + 8, size);
        entries.set(ValueLayout.JAVA_SHORT, at + 12, (short) bid);
        tail++;
    }

    private void publish() {
        SHORT.setRelease(entries, TAIL_OFFSET, (short) tail);
    }

    /** Unregisters (when the ring is still open) and unmaps. */
    void close(boolean unregister) {
        if (unregister) {
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment reg = arena.allocate(40, 8);
                reg.set(ValueLayout.JAVA_SHORT, 12, (short) group);
                uring.register(UNREGISTER_PBUF_RING, reg.address(), 1, "unregister buffer ring");
            } catch (IOException | RuntimeException e) {
                // closing the ring releases it anyway
            }
        }
        unmap();
    }

    private void unmap() {
        LibC.munmap(err, ringAddress, ringBytes);
        LibC.munmap(err, buffersAddress, buffersBytes);
    }
}

package dev.gust.loop.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap chunks that hold a socket's outgoing bytes while the kernel sends them by completion: a
 * send reads its bytes after the loop's write call returned, so they must stay put until its
 * completion. A socket holds a chunk only while bytes are on their way, so idle sockets hold none.
 * One anonymous mmap, faulted in as chunks are first used; a free list of chunk ids. Loop thread only.
 */
final class SendChunks {
    private static final int PROT_RW = 3, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

    final int count, size;
    private final MemorySegment err;
    private final long address;
    final MemorySegment memory;
    /** The same memory as a ByteBuffer, for absolute bulk copies from the loop's buffers (no object per copy). */
    final java.nio.ByteBuffer view;
    /** The socket each chunk is lent to (kept after it closed, until its last send completes). */
    final UringStreamHandle[] owners;
    private final int[] free;
    private int freeCount;

    SendChunks(MemorySegment err, int count, int size) throws IOException {
        this.err = err;
        this.count = count;
        this.size = size;
        long a = LibC.mmap(err, 0, (long) count * size, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
        if (a == -1) throw new IOException("mmap of the send chunks: " + LibC.strerror(LibC.errno(err)));
        address = a;
        memory = MemorySegment.ofAddress(a).reinterpret((long) count * size);
        view = memory.asByteBuffer();
        owners = new UringStreamHandle[count];
        free = new int[count];
        for (int i = 0; i < count; i++) free[i] = count - 1 - i; // chunk 0 first: fewer pages touched
        freeCount = count;
    }

    /** A free chunk lent to {@code owner}, or -1 when all are in use. */
    int acquire(UringStreamHandle owner) {
        if (freeCount == 0) return -1;
        int id = free[--freeCount];
        owners[id] = owner;
        return id;
    }

    void release(int id) {
        owners[id] = null;
        free[freeCount++] = id;
    }

    /** Native address of byte {@code offset} of chunk {@code id}. */
    long address(int id, int offset) {
        return address + (long) id * size + offset;
    }

    /** Offset of chunk {@code id} in {@link #memory}. */
    long offset(int id) {
        return (long) id * size;
    }

    int inUse() {
        return count - freeCount;
    }

    void close() {
        LibC.munmap(err, address, (long) count * size);
    }
}

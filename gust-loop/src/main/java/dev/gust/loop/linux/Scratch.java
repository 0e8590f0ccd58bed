package dev.gust.loop.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Off-heap memory of one poller, allocated once and reused by every call on the loop thread: the
 * errno capture, sockaddr and option buffers, the iovec array, the staging area heap buffers are
 * copied through, and the epoll event array. Sockets own no native memory at all.
 */
final class Scratch {
    /** Largest heap-buffer write (or read) per call; a bigger heap write is partial, which the SPI allows. */
    static final int STAGING_SIZE = 256 * 1024;
    /** Most buffers gathered into one writev (the loop core passes at most three). */
    static final int MAX_IOV = 64;
    static final int MAX_EVENTS = 1024;

    final MemorySegment err;
    final MemorySegment addr;
    final long addrAddress;
    final MemorySegment len;
    final long lenAddress;
    final MemorySegment opt;
    final long optAddress;
    final MemorySegment iov;
    final long iovAddress;
    final ByteBuffer staging;
    final long stagingAddress;
    final MemorySegment events;
    final long eventsAddress;
    /** recvmmsg: datagrams fetched per call, and per slot a struct mmsghdr, an iovec and a sockaddr. */
    static final int MMSG_SLOTS = 16, MMSGHDR_SIZE = 64, MMSG_SLOT_BYTES = 64 * 1024;
    final MemorySegment mmsg;
    final long mmsgAddress;
    /** Views of the receive buffer's 64 KiB slots, made once per buffer (the loop passes the same one). */
    private ByteBuffer mmsgViewsOf;
    private final ByteBuffer[] mmsgViews = new ByteBuffer[MMSG_SLOTS];

    /** Slot {@code i} of {@code dst} as a buffer of its own (position 0, capacity 64 KiB). */
    ByteBuffer mmsgView(ByteBuffer dst, int i) {
        if (mmsgViewsOf != dst) {
            for (int k = 0; k < MMSG_SLOTS && (k + 1) * MMSG_SLOT_BYTES <= dst.capacity(); k++) {
                mmsgViews[k] = dst.slice(k * MMSG_SLOT_BYTES, MMSG_SLOT_BYTES);
            }
            mmsgViewsOf = dst;
        }
        return mmsgViews[i];
    }

    /** The sockaddr of each slot, as segments made once. */
    final MemorySegment[] mmsgNames = new MemorySegment[MMSG_SLOTS];
    /** The last datagram sender, raw and decoded: a peer sending many datagrams costs one decode. */
    final MemorySegment lastSender;
    java.net.InetSocketAddress lastSenderDecoded;

    // Direct buffers the loop passes again and again (its read and cork buffers): base address by identity.
    private final ByteBuffer[] directKeys = new ByteBuffer[4];
    private final long[] directBases = new long[4];
    private int nextDirect;

    Scratch(Arena arena) {
        err = arena.allocate(LibC.CAPTURE_LAYOUT);
        addr = arena.allocate(SockAddr.MAX_SIZE, 8);
        addrAddress = addr.address();
        len = arena.allocate(ValueLayout.JAVA_INT);
        lenAddress = len.address();
        opt = arena.allocate(16, 8);
        optAddress = opt.address();
        iov = arena.allocate(16L * MAX_IOV, 8);
        iovAddress = iov.address();
        MemorySegment stagingSegment = arena.allocate(STAGING_SIZE, 64);
        staging = stagingSegment.asByteBuffer();
        stagingAddress = stagingSegment.address();
        events = arena.allocate(LibC.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
        eventsAddress = events.address();
        lastSender = arena.allocate(SockAddr.MAX_SIZE, 8);
        mmsg = arena.allocate((long) MMSG_SLOTS * (MMSGHDR_SIZE + 16 + SockAddr.MAX_SIZE), 8);
        mmsgAddress = mmsg.address();
        for (int i = 0; i < MMSG_SLOTS; i++) mmsgNames[i] = mmsg.asSlice(LinuxDatagramHandle.nameOffset(i), SockAddr.MAX_SIZE);
    }

    /** The native address of a direct buffer's element 0; cached per buffer object, so no segment per call. */
    long base(ByteBuffer direct) {
        for (int i = 0; i < directKeys.length; i++) {
            if (directKeys[i] == direct) return directBases[i];
        }
        long base = MemorySegment.ofBuffer(direct.duplicate().clear()).address();
        int slot = nextDirect;
        nextDirect = (slot + 1) & (directKeys.length - 1);
        directKeys[slot] = direct; // the cache keeps the buffer (and so its memory) alive
        directBases[slot] = base;
        return base;
    }

    /** Sets the socklen_t in/out argument to the sockaddr buffer's size. */
    void resetLen() {
        len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
    }

    int optInt() {
        return opt.get(ValueLayout.JAVA_INT, 0);
    }

    /** Buffers for address queries, which may come from any thread. */
    static final class Names {
        final MemorySegment err, addr, len;
        final long addrAddress, lenAddress;

        Names(Arena arena) {
            err = arena.allocate(LibC.CAPTURE_LAYOUT);
            addr = arena.allocate(SockAddr.MAX_SIZE, 8);
            len = arena.allocate(ValueLayout.JAVA_INT);
            addrAddress = addr.address();
            lenAddress = len.address();
        }

        void resetLen() {
            len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
        }
    }
}

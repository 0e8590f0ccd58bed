package dev.gust.loop.linux;

import dev.gust.loop.spi.DatagramHandle;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A UDP socket: recvmmsg (batches) or recvfrom, and sendto, on a non-blocking fd. */
final class LinuxDatagramHandle extends LinuxFd implements DatagramHandle {

    LinuxDatagramHandle(LinuxPoller poller, int fd, Object attachment) {
        super(poller, fd, attachment);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        int pos = dst.position(), len = dst.limit() - pos;
        s.resetLen();
        long n;
        if (dst.isDirect()) {
            n = LibC.recvfrom(s.err, fd, s.base(dst) + pos, len, 0, s.addrAddress, s.lenAddress);
        } else {
            n = LibC.recvfrom(s.err, fd, s.stagingAddress, Math.min(len, Scratch.STAGING_SIZE), 0, s.addrAddress,
                    s.lenAddress);
            if (n > 0) dst.put(pos, s.staging, 0, (int) n);
        }
        if (n < 0) {
            int e = LibC.errno(s.err);
            if (e == LibC.EAGAIN || e == LibC.EINTR) return null;
            throw Errors.datagram(e);
        }
        dst.position(pos + (int) n); // a datagram longer than dst is truncated, as with NIO
        return sender(s);
    }

    /** Decodes the sender, reusing the last one when the raw address is the same. */
    private static InetSocketAddress sender(Scratch s) {
        return sender(s, s.addr);
    }

    private static InetSocketAddress sender(Scratch s, MemorySegment raw) {
        if (s.lastSenderDecoded != null && raw.mismatch(s.lastSender) == -1) return s.lastSenderDecoded;
        s.lastSender.copyFrom(raw);
        return s.lastSenderDecoded = SockAddr.decode(raw);
    }

    /**
     * Fetches up to 16 datagrams with one recvmmsg(2), each into its own 64 KiB slice of {@code dst}
     * (so none is truncated that {@link #receive} would keep whole: a UDP payload is at most 65,507
     * bytes), then hands them to the sink in order. Falls back to one recvfrom per datagram for a heap
     * buffer or one too small for two slices.
     */
    @Override
    public int receiveMany(ByteBuffer dst, int max, Sink sink) throws IOException {
        int slots = Math.min(Math.min(max, Scratch.MMSG_SLOTS), dst.capacity() / Scratch.MMSG_SLOT_BYTES);
        if (!dst.isDirect() || slots < 2) return DatagramHandle.super.receiveMany(dst, max, sink);
        Scratch s = poller.scratch;
        long base = s.base(dst);
        int handed = 0;
        while (handed < max) {
            checkOpen();
            int want = Math.min(slots, max - handed);
            prepare(s, base, want);
            int got = LibC.recvmmsg(s.err, fd, s.mmsgAddress, want, 0);
            if (got < 0) {
                int e = LibC.errno(s.err);
                if (e == LibC.EAGAIN || e == LibC.EINTR) return handed;
                if (handed > 0) return handed; // the error shows again on the next call
                throw Errors.datagram(e);
            }
            for (int i = 0; i < got; i++) {
                int len = s.mmsg.get(ValueLayout.JAVA_INT, (long) i * Scratch.MMSGHDR_SIZE + 56);
                InetSocketAddress from = sender(s, s.mmsgNames[i]);
                // Each datagram in its own view starting at 0, as a handler of receive() would see it.
                ByteBuffer data = s.mmsgView(dst, i);
                data.clear().limit(len);
                handed++;
                if (!sink.datagram(data, from)) return handed;
            }
            if (got < want) return handed; // drained
        }
        return handed;
    }

    private static long iovOffset(int i) {
        return (long) Scratch.MMSG_SLOTS * Scratch.MMSGHDR_SIZE + 16L * i;
    }

    static long nameOffset(int i) {
        return (long) Scratch.MMSG_SLOTS * (Scratch.MMSGHDR_SIZE + 16) + (long) SockAddr.MAX_SIZE * i;
    }

    /** Fills {@code n} struct mmsghdr: slot i receives into {@code [i * 64 KiB, (i + 1) * 64 KiB)} of the buffer. */
    private static void prepare(Scratch s, long base, int n) {
        MemorySegment m = s.mmsg;
        for (int i = 0; i < n; i++) {
            long h = (long) i * Scratch.MMSGHDR_SIZE;
            m.set(ValueLayout.JAVA_LONG, iovOffset(i), base + (long) i * Scratch.MMSG_SLOT_BYTES); // iov_base
            m.set(ValueLayout.JAVA_LONG, iovOffset(i) + 8, Scratch.MMSG_SLOT_BYTES);              // iov_len
            m.set(ValueLayout.JAVA_LONG, h, s.mmsgAddress + nameOffset(i));                      // msg_name
            m.set(ValueLayout.JAVA_INT, h + 8, SockAddr.MAX_SIZE);                                // msg_namelen
            m.set(ValueLayout.JAVA_LONG, h + 16, s.mmsgAddress + iovOffset(i));                   // msg_iov
            m.set(ValueLayout.JAVA_LONG, h + 24, 1L);                                             // msg_iovlen
            m.set(ValueLayout.JAVA_LONG, h + 32, 0L);                                             // msg_control
            m.set(ValueLayout.JAVA_LONG, h + 40, 0L);                                             // msg_controllen
            m.set(ValueLayout.JAVA_INT, h + 48, 0);                                               // msg_flags
            m.set(ValueLayout.JAVA_INT, h + 56, 0);                                               // msg_len
        }
    }

    @Override
    public boolean send(ByteBuffer src, InetSocketAddress target) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        int pos = src.position(), len = src.limit() - pos;
        long address;
        if (src.isDirect()) {
            address = s.base(src) + pos;
        } else {
            if (len > Scratch.STAGING_SIZE) throw new IOException("Message too long");
            s.staging.put(0, src, pos, len);
            address = s.stagingAddress;
        }
        long n = target == null
                ? LibC.sendto(s.err, fd, address, len, 0, 0L, 0)
                : LibC.sendto(s.err, fd, address, len, 0, s.addrAddress, SockAddr.encode(target, s.addr));
        if (n >= 0) {
            src.position(pos + (int) n);
            return true;
        }
        int e = LibC.errno(s.err);
        if (e == LibC.EAGAIN || e == LibC.EINTR) return false;
        throw Errors.datagram(e);
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        InetSocketAddress before = remote == null ? poller.name(fd, false) : null;
        int len = remote == null ? SockAddr.encodeUnspec(s.addr) : SockAddr.encode(remote, s.addr);
        if (LibC.connect(s.err, fd, s.addrAddress, len) < 0) {
            int e = LibC.errno(s.err);
            if (remote != null) throw Errors.connect(e);
            // AF_UNSPEC: some kernels report EAFNOSUPPORT yet dissolve the association (as NIO assumes)
        }
        if (before != null) {
            // Linux unbinds an ephemeral port on disconnect; bind it again, as NIO does.
            InetSocketAddress after = poller.name(fd, false);
            if (after != null && after.getPort() != before.getPort()) {
                int blen = SockAddr.encode(before, s.addr);
                if (LibC.bind(s.err, fd, s.addrAddress, blen) < 0) throw Errors.bind(LibC.errno(s.err));
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return closed ? null : poller.name(fd, false); // not cached: a connect may narrow a wildcard address
    }

    @Override
    public void close() {
        closeFd();
    }
}

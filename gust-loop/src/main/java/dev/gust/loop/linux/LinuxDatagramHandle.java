package dev.gust.loop.linux;

import dev.gust.loop.spi.DatagramHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A UDP socket: recvfrom/sendto on a non-blocking fd, one datagram per call. */
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
        if (s.lastSenderDecoded != null && s.addr.mismatch(s.lastSender) == -1) return s.lastSenderDecoded;
        s.lastSender.copyFrom(s.addr);
        return s.lastSenderDecoded = SockAddr.decode(s.addr);
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

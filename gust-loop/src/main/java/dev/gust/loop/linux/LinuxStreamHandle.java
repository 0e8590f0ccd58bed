package dev.gust.loop.linux;

import dev.gust.loop.spi.IoHandle;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A TCP socket or listener: plain read/write/writev on a non-blocking fd.
 *
 * <p>Direct buffers are read into and written from in place (their address is cached by the
 * poller); heap buffers go through the poller's staging memory. Per socket this is a small Java
 * object and nothing else: no native memory, no Arena.
 */
class LinuxStreamHandle extends LinuxFd implements IoHandle {
    final boolean listener;
    boolean connected;
    private InetSocketAddress local;
    final InetSocketAddress remote;

    LinuxStreamHandle(LinuxPoller poller, int fd, Object attachment, boolean listener, InetSocketAddress remote) {
        super(poller, fd, attachment);
        this.listener = listener;
        this.remote = remote;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkOpen();
        int pos = dst.position(), len = dst.limit() - pos;
        if (len == 0) return 0;
        Scratch s = poller.scratch;
        long n;
        if (dst.isDirect()) {
            n = LibC.read(s.err, fd, s.base(dst) + pos, len);
        } else {
            n = LibC.read(s.err, fd, s.stagingAddress, Math.min(len, Scratch.STAGING_SIZE));
            if (n > 0) dst.put(pos, s.staging, 0, (int) n);
        }
        if (n > 0) {
            dst.position(pos + (int) n);
            return (int) n;
        }
        if (n == 0) return -1;
        int e = LibC.errno(s.err);
        if (e == LibC.EAGAIN || e == LibC.EINTR) return 0;
        throw Errors.read(e);
    }

    /** Bytes received before a hand-off, to be read before anything else (transports that receive by completion). */
    void unread(byte[] bytes) {
        throw new IllegalStateException(poller.transportName() + " hands sockets over with nothing received");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkOpen();
        int pos = src.position(), len = src.limit() - pos;
        if (len == 0) return 0;
        Scratch s = poller.scratch;
        long address;
        if (src.isDirect()) {
            address = s.base(src) + pos;
        } else {
            len = Math.min(len, Scratch.STAGING_SIZE);
            s.staging.put(0, src, pos, len);
            address = s.stagingAddress;
        }
        // SIGPIPE needs no MSG_NOSIGNAL: the JVM ignores it, so a dead peer gives EPIPE like in NIO.
        long n = LibC.write(s.err, fd, address, len);
        if (n >= 0) {
            src.position(pos + (int) n);
            return (int) n;
        }
        int e = LibC.errno(s.err);
        if (e == LibC.EAGAIN || e == LibC.EINTR) return 0;
        throw Errors.io(e);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        int count = 0, staged = 0;
        for (int i = offset, end = offset + length; i < end && count < Scratch.MAX_IOV; i++) {
            ByteBuffer b = srcs[i];
            int pos = b.position(), r = b.limit() - pos;
            if (r == 0) continue;
            long address;
            boolean cut = false;
            if (b.isDirect()) {
                address = s.base(b) + pos;
            } else {
                int room = Scratch.STAGING_SIZE - staged;
                if (room == 0) break;
                if (r > room) {
                    r = room;
                    cut = true;
                }
                s.staging.put(staged, b, pos, r);
                address = s.stagingAddress + staged;
                staged += r;
            }
            s.iov.set(ValueLayout.JAVA_LONG, 16L * count, address);
            s.iov.set(ValueLayout.JAVA_LONG, 16L * count + 8, r);
            count++;
            if (cut) break; // nothing after a partly staged buffer may go out before its rest
        }
        if (count == 0) return 0;
        long n = LibC.writev(s.err, fd, s.iovAddress, count);
        if (n < 0) {
            int e = LibC.errno(s.err);
            if (e == LibC.EAGAIN || e == LibC.EINTR) return 0;
            throw Errors.io(e);
        }
        long left = n;
        for (int i = offset, end = offset + length; i < end && left > 0; i++) {
            ByteBuffer b = srcs[i];
            int take = (int) Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    @Override
    public IoHandle accept(Object attachment) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        while (true) {
            s.resetLen();
            int cfd = LibC.accept4(s.err, fd, s.addrAddress, s.lenAddress, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            if (cfd < 0) {
                int e = LibC.errno(s.err);
                if (e == LibC.EAGAIN) return null;
                if (e == LibC.EINTR || e == LibC.ECONNABORTED) continue; // that one is gone; try the next
                throw Errors.io(e);
            }
            InetSocketAddress peer = SockAddr.decode(s.addr);
            if (poller.setInt(cfd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 1) < 0) {
                int e = LibC.errno(s.err);
                LibC.close(s.err, cfd);
                throw Errors.io(e);
            }
            return poller.accepted(cfd, attachment, peer);
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        checkOpen();
        if (connected) return true;
        Scratch s = poller.scratch;
        s.len.set(ValueLayout.JAVA_INT, 0, 4);
        if (LibC.getsockopt(s.err, fd, LibC.SOL_SOCKET, LibC.SO_ERROR, s.optAddress, s.lenAddress) < 0) {
            throw Errors.io(LibC.errno(s.err));
        }
        int soError = s.optInt();
        if (soError != 0) throw Errors.connect(soError);
        // SO_ERROR 0 also while still in progress: only a peer name proves the connection is up.
        if (poller.name(fd, true) == null) return false;
        connected = true;
        poller.update(this); // a transport that receives by completion starts receiving now
        return true;
    }

    @Override
    public dev.gust.loop.spi.DetachedHandle detach() {
        if (listener) throw new IllegalStateException("a listener cannot be detached");
        detachFd();
        return new LinuxDetached(fd, remote, poller.transportName(), null);
    }

    @Override
    public void shutdownOutput() throws IOException {
        shutdown(LibC.SHUT_WR);
    }

    @Override
    public void shutdownInput() throws IOException {
        shutdown(LibC.SHUT_RD);
    }

    private void shutdown(int how) throws IOException {
        checkOpen();
        Scratch s = poller.scratch;
        // Like NIO: a connection the peer already dropped has nothing left to shut down.
        if (LibC.shutdown(s.err, fd, how) < 0 && LibC.errno(s.err) != LibC.ENOTCONN) throw Errors.io(LibC.errno(s.err));
    }

    @Override
    public void close(boolean abortive) {
        if (closed) return;
        if (abortive && !listener) {
            Scratch s = poller.scratch;
            s.opt.set(ValueLayout.JAVA_INT, 0, 1); // l_onoff
            s.opt.set(ValueLayout.JAVA_INT, 4, 0); // l_linger: 0 means close sends RST
            LibC.setsockopt(s.err, fd, LibC.SOL_SOCKET, LibC.SO_LINGER, s.optAddress, 8);
        }
        closeFd();
    }

    @Override
    public InetSocketAddress localAddress() {
        if (local != null || closed) return local;
        InetSocketAddress a = poller.name(fd, false);
        if (listener || connected) local = a; // fixed from now on
        return a;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return listener ? null : remote;
    }

    @Override
    public void noDelay(boolean on) throws IOException {
        checkOpen();
        poller.setIntOrThrow(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, on ? 1 : 0);
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionCodes.Code code = SocketOptionCodes.of(name, listener);
        int raw = code.encode(name, value);
        checkOpen();
        poller.setIntOrThrow(fd, code.level(), code.name(), raw);
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionCodes.Code code = SocketOptionCodes.of(name, listener);
        checkOpen();
        Scratch s = poller.scratch;
        s.len.set(ValueLayout.JAVA_INT, 0, 4);
        if (LibC.getsockopt(s.err, fd, code.level(), code.name(), s.optAddress, s.lenAddress) < 0) {
            throw Errors.io(LibC.errno(s.err));
        }
        return code.decode(name, s.optInt());
    }
}

package dev.gust.loop.linux;

import dev.gust.loop.spi.Readiness;
import java.nio.channels.ClosedChannelException;

/**
 * What stream and datagram handles share: the file descriptor, the attachment and the interest,
 * which the poller mirrors into the epoll set only when the epoll mask really changes.
 */
abstract class LinuxFd {
    final LinuxPoller poller;
    final int fd;
    final Object attachment;
    /**
     * Tells this registration apart from an earlier one of the same (reused) fd in the event data;
     * io_uring sets a fresh one per armed poll.
     */
    int serial;
    int interest;
    /** The epoll mask in the kernel's set (io_uring: of the armed poll); 0 when none. */
    int epollMask;
    boolean closed;

    LinuxFd(LinuxPoller poller, int fd, Object attachment) {
        this.poller = poller;
        this.fd = fd;
        this.attachment = attachment;
        this.serial = poller.adopt(this);
    }

    /** Sets the interest; level-triggered, so it maps 1:1 onto epoll's IN/OUT. */
    public void interest(int ops) {
        interest = ops;
        if (!closed) poller.update(this);
    }

    public int interest() {
        return interest;
    }

    static int toEpoll(int ops) {
        int m = 0;
        if ((ops & (Readiness.READ | Readiness.ACCEPT)) != 0) m |= LibC.EPOLLIN;
        if ((ops & (Readiness.WRITE | Readiness.CONNECT)) != 0) m |= LibC.EPOLLOUT;
        return m;
    }

    /** Ready bits for an epoll event: like NIO, an error or hang-up makes every watched operation ready. */
    final int readyOps(int events) {
        int ops = 0;
        if ((events & (LibC.EPOLLERR | LibC.EPOLLHUP)) != 0) return interest;
        if ((events & LibC.EPOLLIN) != 0) ops |= interest & (Readiness.READ | Readiness.ACCEPT);
        if ((events & LibC.EPOLLOUT) != 0) ops |= interest & (Readiness.WRITE | Readiness.CONNECT);
        return ops;
    }

    /** Every operation checks this first: a closed fd number may already belong to another socket. */
    final void checkOpen() throws ClosedChannelException {
        if (closed) throw new ClosedChannelException();
    }

    /**
     * Leaves the readiness set and the fd table without closing the fd (a hand-off to another
     * poller); this object is dead afterwards, like a closed one.
     */
    final void detachFd() {
        if (closed) throw new IllegalStateException("handle is closed or detached");
        interest = 0;
        poller.update(this); // epoll: EPOLL_CTL_DEL (the fd stays open, so closing would not drop it)
        closed = true;
        poller.forget(this); // io_uring: cancels the armed poll
    }

    /** Closes the fd (which also drops it from the epoll set) and forgets it. */
    final void closeFd() {
        if (closed) return;
        closed = true;
        poller.forget(this);
        LibC.close(poller.scratch.err, fd);
    }
}

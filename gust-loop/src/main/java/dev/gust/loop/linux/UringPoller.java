package dev.gust.loop.linux;

import dev.gust.loop.spi.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Readiness from io_uring: a one-shot IORING_OP_POLL_ADD per watched socket, re-armed after each
 * report while the interest lasts. Re-arming checks the socket's state at once, so this keeps the
 * SPI's level-triggered contract (multishot poll would be edge-triggered). All re-arms and interest
 * changes of a loop pass go to the kernel in the single io_uring_enter that also waits.
 *
 * <p>Reads and writes stay plain syscalls on the loop thread, as with epoll: the SPI's synchronous
 * {@code read}/{@code write} leave no room for completion-based I/O without an SPI change.
 */
final class UringPoller extends LinuxPoller {
    private static final int ENTRIES = 4096;
    private final Uring ring;
    private int generations;

    UringPoller(Readiness sink) throws IOException {
        super(sink);
        Uring r;
        try {
            r = new Uring(arena, scratch.err, ENTRIES);
        } catch (IOException e) {
            close();
            throw e;
        }
        ring = r;
        armWake();
    }

    private void armWake() throws IOException {
        ring.pollAdd(eventFd, LibC.EPOLLIN, wakeData());
    }

    /** The eventfd's user data: generation 0, which no socket arm uses. */
    private long wakeData() {
        return eventFd & 0xFFFF_FFFFL;
    }

    private static long data(LinuxFd h) {
        return ((long) h.serial << 32) | (h.fd & 0xFFFF_FFFFL);
    }

    private void arm(LinuxFd h) {
        int mask = LinuxFd.toEpoll(h.interest);
        if (mask == 0) return;
        int gen = ++generations;
        if (gen == 0) gen = ++generations;
        h.serial = gen; // a fresh tag per arm: completions of cancelled arms are recognised as stale
        h.epollMask = mask;
        try {
            ring.pollAdd(h.fd, mask, data(h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void disarm(LinuxFd h) {
        if (h.epollMask == 0) return;
        h.epollMask = 0;
        try {
            ring.pollRemove(data(h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.serial = 0;
    }

    /**
     * A poll already armed for a superset of the new interest stays: its completion is filtered by
     * the interest then and re-armed with the right mask, which saves a cancel + add per toggle.
     */
    @Override
    void update(LinuxFd h) {
        int mask = LinuxFd.toEpoll(h.interest);
        if (h.epollMask != 0) {
            if ((mask & ~h.epollMask) == 0) return;
            disarm(h);
        }
        arm(h);
    }

    @Override
    void forget(LinuxFd h) {
        disarm(h); // the armed poll holds a reference to the socket: cancel it, or it never really closes
        super.forget(h);
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        ring.submitAndWait(timeoutNanos);
        int reported = 0;
        int head = ring.cqHead(), tail = ring.cqTail();
        for (; head != tail; head++) {
            long data = ring.userData(head);
            int res = ring.result(head);
            if (data == Uring.IGNORED) continue;
            int fd = (int) data, gen = (int) (data >>> 32);
            if (gen == 0) {
                if (fd == eventFd) {
                    drainWakeups();
                    armWake();
                }
                continue;
            }
            LinuxFd h = lookup(fd);
            if (h == null || h.closed || h.serial != gen || h.epollMask == 0) continue; // cancelled or stale
            h.epollMask = 0; // one-shot: no longer armed
            int ops = res < 0 ? (res == -Uring.ECANCELED ? 0 : h.interest) : h.readyOps(res);
            if (ops != 0) {
                reported++;
                sink.ready(h.attachment, ops);
            }
            if (!h.closed && h.epollMask == 0) arm(h); // still interested: ask again (level-triggered)
        }
        ring.cqAdvance(head);
        return reported;
    }

    @Override
    String transportName() {
        return "io_uring";
    }

    @Override
    void closeSet() {
        if (ring == null) return;
        try {
            // Submit the poll removes of the sockets just closed: an armed poll holds its socket open,
            // and a ring torn down with them still queued releases them only later, asynchronously
            // (a closed port would stay bound for a moment).
            ring.submitAndWait(0);
        } catch (IOException e) {
            // closing anyway
        }
        ring.close();
    }
}

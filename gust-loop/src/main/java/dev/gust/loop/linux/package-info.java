/**
 * Native Linux transports: {@link dev.gust.loop.linux.EpollTransport epoll} and
 * {@link dev.gust.loop.linux.UringTransport io_uring}, calling libc (and io_uring's syscalls)
 * directly through the Foreign Function &amp; Memory API: no JNI, no native library to ship.
 *
 * <p><b>Enabling them.</b> FFM downcalls are restricted methods: run with
 * {@code --enable-native-access=ALL-UNNAMED} (or your module's name) on the {@code java} command line,
 * or put {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest. Without it
 * {@link dev.gust.loop.Transports#best()} picks NIO and logs one line saying why;
 * {@code -Dgust.transport=epoll} (or {@code io_uring}) forces a native transport anyway (the JVM then
 * prints its own restricted-method warning). {@code -Dgust.transport=nio} always uses NIO.
 *
 * <p><b>Structure.</b> {@code LibC} holds the bindings, {@code SockAddr} the sockaddr codec,
 * {@code Errors} the errno mapping, {@code LinuxPoller} what both pollers share (socket setup, the
 * fd table, the wakeup eventfd), {@code EpollPoller} (level-triggered epoll; reads and writes are
 * plain read/write/writev calls) and {@code UringPoller} (with {@code Uring}, the mmapped rings), and
 * {@code LinuxStreamHandle}/{@code LinuxDatagramHandle} the sockets. On both native transports UDP
 * receives in batches: one recvmmsg fetches up to 16 waiting datagrams, each into its own 64 KiB
 * slice of the loop's receive buffer; datagrams are sent one sendto each.
 *
 * <p><b>The io_uring engine is completion-based for TCP.</b> A reading socket has one multishot
 * recv armed; the kernel fills buffers of one shared provided-buffer ring per loop
 * ({@code BufferRing}, 1024 x 16 KiB) and the loop's read copies them out. A write copies into an
 * off-heap chunk lent to the socket ({@code SendChunks}, 16 KiB) and queues one {@code SEND}; a write
 * bigger than a chunk goes out with write(2) when nothing is outstanding. All requests of a loop pass
 * go to the kernel in the pass's single io_uring_enter, on a ring with cooperative task running
 * (Linux 5.19+; plain ring otherwise). Accept, connect, write readiness while no send is
 * outstanding, UDP and the wakeup use one-shot poll requests. {@code -Dgust.uring.recv=poll} and
 * {@code -Dgust.uring.send=write} switch back to readiness + read(2) / write(2) (kept for comparison
 * and for kernels without buffer rings, which fall back by themselves).
 *
 * <p><b>Memory.</b> Each poller owns one shared arena (about 300 KiB: a 256 KiB staging area that
 * heap buffers are copied through, the epoll event array, iovecs and sockaddr scratch; io_uring adds
 * its mmapped rings). A socket owns only a small Java object: no native memory, and no Arena or
 * MemorySegment is created per socket or per call in steady state. Measured with
 * {@code IdleMemory} (test sources), heap per idle accepted socket including the loop core's
 * {@code Socket}, 10,000 sockets (2026-12-04): NIO 861 bytes, epoll 287 bytes, io_uring 375 bytes
 * (its per-socket receive and send state). io_uring also has, per loop, the buffer ring and the send
 * chunks (32 MiB of address space, faulted in as used: an idle socket holds no buffer or chunk) and,
 * in the kernel, one armed multishot recv per reading socket.
 *
 * <p><b>Behaviour.</b> Errors are mapped to the exception types and messages NIO throws for the same
 * errno (for example {@link java.net.ConnectException} "Connection refused"), so the loop core
 * behaves identically on every transport; the gust-loop test suite runs on each of them.
 */
package dev.gust.loop.linux;

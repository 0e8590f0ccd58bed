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
 * fd table, the wakeup eventfd), {@code EpollPoller} and {@code UringPoller} (with {@code Uring}, the
 * mmapped rings) the readiness mechanisms, and {@code LinuxStreamHandle}/{@code LinuxDatagramHandle}
 * the sockets. Both pollers keep the SPI's level-triggered contract; reads and writes are plain
 * read/write/writev/sendto/recvfrom calls.
 *
 * <p><b>Memory.</b> Each poller owns one shared arena (about 300 KiB: a 256 KiB staging area that
 * heap buffers are copied through, the epoll event array, iovecs and sockaddr scratch; io_uring adds
 * its mmapped rings). A socket owns only a small Java object: no native memory, and no Arena or
 * MemorySegment is created per socket or per call in steady state. Measured with
 * {@code IdleMemory} (test sources), heap per idle accepted socket including the loop core's
 * {@code Socket}: NIO about 920 bytes, epoll about 340 bytes.
 *
 * <p><b>Behaviour.</b> Errors are mapped to the exception types and messages NIO throws for the same
 * errno (for example {@link java.net.ConnectException} "Connection refused"), so the loop core
 * behaves identically on every transport; the gust-loop test suite runs on each of them.
 */
package dev.gust.loop.linux;

/**
 * The Linux epoll transport: sockets and a level-triggered epoll set driven by calling libc
 * directly through the Foreign Function &amp; Memory API (no JNI, no native library to ship).
 *
 * <p><b>Enabling it.</b> FFM downcalls are restricted methods: run with
 * {@code --enable-native-access=ALL-UNNAMED} (or your module's name) on the {@code java} command line,
 * or {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest. Without it the loop
 * picks NIO by default and logs one line saying why; {@code -Dgust.transport=epoll} forces epoll
 * anyway (the JVM then prints its own restricted-method warning). See
 * {@link dev.gust.loop.Transports} for how a transport is chosen.
 *
 * <p><b>Memory.</b> Each poller owns one shared arena (about 300 KiB: a 256 KiB staging area that
 * heap buffers are copied through, the epoll event array, iovecs and sockaddr scratch). A socket owns
 * only a small Java object: no native memory, and no Arena or MemorySegment is created per socket or
 * per call in steady state.
 *
 * <p><b>Behaviour.</b> Errors are mapped to the exception types and messages NIO throws for the same
 * errno (for example {@link java.net.ConnectException} "Connection refused"), so the loop core
 * behaves identically on both transports.
 */
package dev.gust.loop.linux;

/**
 * The loop core: single-threaded event loops, TCP/TLS/UDP sockets, timers, and groups of loops.
 *
 * <h2>One loop</h2>
 * A {@link dev.gust.loop.Loop} is one thread that waits for readiness, runs socket callbacks,
 * timers and deferred tasks. Everything it owns is used only from that thread; other threads reach it
 * with {@link dev.gust.loop.Loop#defer(Runnable)} (FIFO per sender, one wakeup per burst).
 *
 * <h2>Many loops</h2>
 * A {@link dev.gust.loop.LoopGroup} runs N loops (default: one per core) that share nothing.
 * <ul>
 *   <li><b>Spreading connections.</b> {@link dev.gust.loop.LoopGroup#listen} gives every loop its own
 *       {@link dev.gust.loop.SocketContext}. With {@link dev.gust.loop.ListenOptions.Distribution#REUSE_PORT}
 *       (the default) every loop listens on the port with SO_REUSEPORT and the kernel balances;
 *       with {@link dev.gust.loop.ListenOptions.Distribution#ACCEPTOR} loop 0 accepts alone and hands
 *       each new connection round-robin to every loop. A transport that cannot set SO_REUSEPORT
 *       falls back to the acceptor (logged).</li>
 *   <li><b>Moving a connection.</b> {@link dev.gust.loop.Socket#moveTo} hands an open plain connection
 *       to a context on another loop: the source stops watching it without closing it
 *       ({@code IoHandle.detach()}), the target registers it with its own poller
 *       ({@code Poller.adopt}) and calls {@link dev.gust.loop.SocketHandler#onAdopted}. Bytes the peer
 *       sends meanwhile wait in the kernel; unsent bytes travel with the socket. TLS sockets stay put.</li>
 *   <li><b>Messages.</b> Loops talk with {@code defer}; {@link dev.gust.loop.LoopGroup#onEach} runs a
 *       task on every loop.</li>
 * </ul>
 *
 * <h2>Fairness within a pass</h2>
 * Readiness is level-triggered and one loop pass serves every ready socket once: at most one read of
 * {@link dev.gust.loop.LoopOptions#readBufferSize()} (the read budget; what is left is reported again
 * next pass), at most {@link dev.gust.loop.LoopOptions#writeBudget()} bytes written before further
 * writes wait for a later pass (so a drain callback that writes while writes succeed cannot hold the
 * loop), at most 64 accepts per listener, only the deferred tasks queued when the pass began, and only
 * the timers due then. So one busy peer slows its own socket, not its neighbours.
 *
 * <pre>{@code
 * LoopGroup group = LoopGroup.create(4);
 * group.listen("0.0.0.0", 9000, loop -> SocketContext.create(loop, null, echo));
 * group.start();
 * // in a callback on some loop: move this connection to loop 2's "room" context
 * socket.moveTo(rooms.get(2), new Player(name), data);
 * }</pre>
 */
package dev.gust.loop;

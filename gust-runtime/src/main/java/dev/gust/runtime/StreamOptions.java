package dev.gust.runtime;

import dev.gust.loop.LoopGroup;

/**
 * Settings of blocking streams.
 *
 * <pre>{@code
 * var options = StreamOptions.defaults().withGroup(IoRuntime.startGroup(1)).withSendBuffer(128 * 1024);
 * TcpStream stream = TcpStream.connect("127.0.0.1", 9000, options);
 * }</pre>
 *
 * @param group         the loops doing the I/O; null: {@link IoRuntime#defaultGroup()}
 * @param receiveBuffer bytes received but not yet read, per stream, above which the loop stops
 *                      reading the socket (the peer's writes then back up in the kernel); the stream
 *                      holds at most this plus one loop receive buffer
 * @param sendBuffer    bytes written but not yet handed to the kernel, per stream, at most; a writer
 *                      blocks while they are full. Direct memory: 64 KiB on first write, doubled up to
 *                      this limit for streams whose writers had to wait (bulk transfers).
 *                      UDP: bytes of datagrams sent but not yet handed to the kernel, per socket; a
 *                      sender parks past it
 * @param backlog       listeners: the kernel's accept queue and the number of accepted connections
 *                      waiting for {@link TcpListener#accept()}; past it new connections are closed.
 *                      UDP: datagrams waiting for {@link UdpSocket#receive}; past it new ones are dropped
 */
public record StreamOptions(LoopGroup group, int receiveBuffer, int sendBuffer, int backlog) {
    public StreamOptions {
        if (receiveBuffer < 1024) throw new IllegalArgumentException("receiveBuffer must be >= 1024, got " + receiveBuffer);
        if (sendBuffer < 1024) throw new IllegalArgumentException("sendBuffer must be >= 1024, got " + sendBuffer);
        if (backlog < 1) throw new IllegalArgumentException("backlog must be positive, got " + backlog);
    }

    /** The default group, 64 KiB receive buffer, send buffer up to 256 KiB, backlog 1024. */
    public static StreamOptions defaults() {
        return new StreamOptions(null, 64 * 1024, 256 * 1024, 1024);
    }

    public StreamOptions withGroup(LoopGroup g) {
        return new StreamOptions(g, receiveBuffer, sendBuffer, backlog);
    }

    public StreamOptions withReceiveBuffer(int bytes) {
        return new StreamOptions(group, bytes, sendBuffer, backlog);
    }

    public StreamOptions withSendBuffer(int bytes) {
        return new StreamOptions(group, receiveBuffer, bytes, backlog);
    }

    public StreamOptions withBacklog(int n) {
        return new StreamOptions(group, receiveBuffer, sendBuffer, n);
    }

    /** The group to use: the configured one, else the default. */
    LoopGroup loops() {
        LoopGroup g = group != null ? group : IoRuntime.defaultGroup();
        for (var loop : g.loops()) {
            if (!loop.isRunning()) throw new IllegalStateException("loop '" + loop.name() + "' is not running; start the group first");
        }
        return g;
    }
}

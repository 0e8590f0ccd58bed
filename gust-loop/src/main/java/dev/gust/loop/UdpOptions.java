package dev.gust.loop;

/**
 * Settings of a {@link UdpSocket}.
 *
 * <pre>{@code
 * UdpSocket.bind(loop, "0.0.0.0", 9000, UdpOptions.defaults().withReceiveBatch(256), handler);
 * }</pre>
 *
 * @param receiveBatch  datagrams received per readiness event at most, so one busy UDP socket cannot
 *                      starve the loop's other sockets
 * @param maxQueuedBytes payload bytes kept when the kernel refuses sends; past this, sends are dropped
 * @param reusePort     SO_REUSEPORT, so several loops can bind the same port
 */
public record UdpOptions(int receiveBatch, long maxQueuedBytes, boolean reusePort) {
    public UdpOptions {
        if (receiveBatch <= 0) throw new IllegalArgumentException("receiveBatch must be positive");
        if (maxQueuedBytes < 0) throw new IllegalArgumentException("maxQueuedBytes must not be negative");
    }

    /** 64 datagrams per readiness, 1 MiB send queue, no SO_REUSEPORT. */
    public static UdpOptions defaults() {
        return new UdpOptions(64, 1L << 20, false);
    }

    public UdpOptions withReceiveBatch(int n) {
        return new UdpOptions(n, maxQueuedBytes, reusePort);
    }

    public UdpOptions withMaxQueuedBytes(long max) {
        return new UdpOptions(receiveBatch, max, reusePort);
    }

    public UdpOptions withReusePort(boolean on) {
        return new UdpOptions(receiveBatch, maxQueuedBytes, on);
    }
}

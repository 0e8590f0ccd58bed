package dev.gust.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The events of a {@link UdpSocket}. Every method runs on the loop thread and must not block. A
 * method that throws is logged and the socket carries on (one bad datagram must not stop a server
 * of many peers).
 *
 * <pre>{@code
 * UdpSocket echo = UdpSocket.bind(loop, "0.0.0.0", 9000, (udp, payload, from) -> udp.send(payload, from));
 * }</pre>
 */
@FunctionalInterface
public interface UdpHandler {
    /**
     * A datagram arrived. {@code payload} is the loop's shared receive buffer: valid only during this
     * call (copy what you keep); you may modify it or send it on as is.
     */
    void onData(UdpSocket udp, ByteBuffer payload, InetSocketAddress from);

    /** Every datagram the kernel had refused was sent: the socket can take more without queueing. */
    default void onDrain(UdpSocket udp) {}

    /** The socket closed: {@link CloseCode#CLEAN} by {@link UdpSocket#close()}, or {@link CloseCode#LOOP_CLOSED}. */
    default void onClose(UdpSocket udp, int code) {}
}

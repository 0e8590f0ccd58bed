package dev.gust.nio2;

import dev.gust.loop.ListenSocket;
import dev.gust.loop.Socket;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The socket options of one channel as the program set them, validated like the JDK's. The channel
 * applies them to its kernel socket for real: at once when it has its Gust socket, else when the
 * socket opens ({@link #applyTo}); {@code getOption} then reads the kernel's value, and this record
 * (or the JDK's default) only answers while there is no socket. A listener's SO_REUSEADDR becomes
 * gust-loop's "exclusive" listen option; gust-loop turns TCP_NODELAY on by default (it corks writes).
 */
final class ChannelOptions {
    static final Set<SocketOption<?>> CLIENT = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.TCP_NODELAY);
    static final Set<SocketOption<?>> SERVER = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR);

    /** Defaults as the JDK reports them on Linux (buffer sizes: typical kernel defaults). */
    private static final Map<SocketOption<?>, Object> DEFAULTS = Map.of(
            StandardSocketOptions.SO_SNDBUF, 16384,
            StandardSocketOptions.SO_RCVBUF, 65536,
            StandardSocketOptions.SO_KEEPALIVE, false,
            StandardSocketOptions.SO_REUSEADDR, false,
            StandardSocketOptions.TCP_NODELAY, false);

    private final Set<SocketOption<?>> supported;
    private Map<SocketOption<?>, Object> values; // created on the first set: most channels set none

    ChannelOptions(Set<SocketOption<?>> supported) {
        this.supported = supported;
    }

    Set<SocketOption<?>> supported() {
        return supported;
    }

    synchronized <T> void set(SocketOption<T> name, T value) {
        Objects.requireNonNull(name, "name");
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        if (value == null || !name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + name);
        }
        if ((name == StandardSocketOptions.SO_SNDBUF || name == StandardSocketOptions.SO_RCVBUF)
                && (Integer) value < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size " + value);
        }
        if (values == null) values = new HashMap<>();
        values.put(name, value);
    }

    @SuppressWarnings("unchecked")
    synchronized <T> T get(SocketOption<T> name) {
        Objects.requireNonNull(name, "name");
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        Object v = values == null ? null : values.get(name);
        return (T) (v != null ? v : DEFAULTS.get(name));
    }

    /** The value set, or {@code fallback} when it was never set. */
    synchronized <T> T getOr(SocketOption<T> name, T fallback) {
        @SuppressWarnings("unchecked") T v = values == null ? null : (T) values.get(name);
        return v != null ? v : fallback;
    }

    /** Sets every option the program set on a socket that has just opened (its loop thread). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    synchronized void applyTo(Socket<?> socket) throws IOException {
        if (values == null) return;
        for (Map.Entry<SocketOption<?>, Object> e : values.entrySet()) socket.setOption((SocketOption) e.getKey(), e.getValue());
    }

    /** Sets the listener's receive buffer, if the program set one (the listener's loop thread). */
    synchronized void applyTo(ListenSocket listener) throws IOException {
        Object rcvbuf = values == null ? null : values.get(StandardSocketOptions.SO_RCVBUF);
        if (rcvbuf != null) listener.setOption(StandardSocketOptions.SO_RCVBUF, (Integer) rcvbuf);
    }
}

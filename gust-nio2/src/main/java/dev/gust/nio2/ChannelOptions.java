package dev.gust.nio2;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The socket options of one channel: validated like the JDK's and reported back by
 * {@code getOption}. Which ones reach the kernel socket is the channel's business: gust-loop's
 * public API applies SO_REUSEADDR of a listener (as "exclusive") and always sets TCP_NODELAY (it
 * corks writes itself); the buffer sizes and SO_KEEPALIVE are recorded only (see the module docs).
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
}

package dev.gust.loop.linux;

import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * The socket options the Linux transports support, as (level, name) pairs with an int value, and
 * the JDK's checks on them: an unknown option is {@link UnsupportedOperationException}, a value of
 * the wrong type or a negative buffer size {@link IllegalArgumentException} (same messages as NIO).
 */
final class SocketOptionCodes {
    private SocketOptionCodes() {}

    /** One option: where it lives in the kernel and whether its int means a boolean. */
    record Code(int level, int name, boolean bool) {
        int encode(SocketOption<?> option, Object value) {
            if (!option.type().isInstance(value)) throw new IllegalArgumentException("Invalid value '" + value + "'");
            if (bool) return (Boolean) value ? 1 : 0;
            int size = (Integer) value;
            if (size < 0) {
                throw new IllegalArgumentException(option == StandardSocketOptions.SO_SNDBUF
                        ? "Invalid send buffer size" : "Invalid receive buffer size");
            }
            return size;
        }

        <T> T decode(SocketOption<T> option, int raw) {
            // Linux reports twice the buffer size set (the rest is its bookkeeping); the JDK halves the
            // value it reads so that get returns what was set, and so do we: same numbers as NIO.
            if (level == LibC.SOL_SOCKET && (name == LibC.SO_SNDBUF || name == LibC.SO_RCVBUF)) raw /= 2;
            return option.type().cast(bool ? (Object) (raw != 0) : (Object) raw);
        }
    }

    private static final Code SNDBUF = new Code(LibC.SOL_SOCKET, LibC.SO_SNDBUF, false),
            RCVBUF = new Code(LibC.SOL_SOCKET, LibC.SO_RCVBUF, false),
            KEEPALIVE = new Code(LibC.SOL_SOCKET, LibC.SO_KEEPALIVE, true),
            REUSEADDR = new Code(LibC.SOL_SOCKET, LibC.SO_REUSEADDR, true),
            NODELAY = new Code(LibC.IPPROTO_TCP, LibC.TCP_NODELAY, true);

    /** The code of {@code option}; a listener has only the options NIO's ServerSocketChannel has (of those above). */
    static Code of(SocketOption<?> option, boolean listener) {
        if (option == null) throw new NullPointerException("option");
        Code code;
        if (option == StandardSocketOptions.SO_RCVBUF) code = RCVBUF;
        else if (option == StandardSocketOptions.SO_REUSEADDR) code = REUSEADDR;
        else if (listener) code = null;
        else if (option == StandardSocketOptions.SO_SNDBUF) code = SNDBUF;
        else if (option == StandardSocketOptions.SO_KEEPALIVE) code = KEEPALIVE;
        else if (option == StandardSocketOptions.TCP_NODELAY) code = NODELAY;
        else code = null;
        if (code == null) throw new UnsupportedOperationException("'" + option + "' not supported");
        return code;
    }
}

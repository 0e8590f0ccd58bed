package dev.gust.loop.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;

/**
 * Turns errno values into the exceptions (types and messages) the JDK's NIO channels throw for the
 * same failure, so code above the SPI, its logs and tests see no difference between transports.
 */
final class Errors {
    private Errors() {}

    static final int EPERM = 1, EBADF = 9, EACCES = 13, EPIPE = 32, ENETUNREACH = 101, ECONNRESET = 104,
            EADDRINUSE = 98, EADDRNOTAVAIL = 99, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113;

    /** An error of a connect (or finishing one). */
    static IOException connect(int errno) {
        return switch (errno) {
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case ETIMEDOUT -> new ConnectException("Connection timed out");
            case EHOSTUNREACH -> new NoRouteToHostException("No route to host");
            case ENETUNREACH -> new SocketException("Network is unreachable");
            default -> io(errno);
        };
    }

    /** An error of bind. */
    static IOException bind(int errno) {
        return switch (errno) {
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(LibC.strerror(errno));
            default -> io(errno);
        };
    }

    /** An error of read: NIO reports a reset as "Connection reset". */
    static IOException read(int errno) {
        return errno == ECONNRESET ? new SocketException("Connection reset") : io(errno);
    }

    /** An error of a datagram send or receive: ICMP port unreachable on a connected socket. */
    static IOException datagram(int errno) {
        return errno == ECONNREFUSED ? new PortUnreachableException() : io(errno);
    }

    /** Anything else: an IOException with the C library's message, like NIO ("Broken pipe", ...). */
    static IOException io(int errno) {
        return errno == EBADF ? new java.nio.channels.ClosedChannelException() : new IOException(LibC.strerror(errno));
    }
}

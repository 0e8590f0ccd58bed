package dev.gust.loop;

import java.time.Duration;

/**
 * How to connect.
 *
 * @param timeout how long the connect may take before {@link SocketHandler#onConnectError} (zero: no limit)
 * @param serverName TLS server name to send (SNI) and verify; null uses the host argument
 */
public record ConnectOptions(Duration timeout, String serverName) {
    public static ConnectOptions defaults() {
        return new ConnectOptions(Duration.ofSeconds(10), null);
    }

    public ConnectOptions withTimeout(Duration t) {
        return new ConnectOptions(t, serverName);
    }

    public ConnectOptions withServerName(String name) {
        return new ConnectOptions(timeout, name);
    }
}

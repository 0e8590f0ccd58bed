package dev.gust.websocket;

import java.util.List;

/**
 * What an upgrade needs to complete: the client's key and offers. Passed to the behavior's upgrade
 * handler and back to {@link UpgradeResponse#upgrade}.
 */
public final class UpgradeContext {
    final String key;
    final List<String> offeredProtocols;
    final String offeredExtensions;

    UpgradeContext(String key, List<String> offeredProtocols, String offeredExtensions) {
        this.key = key;
        this.offeredProtocols = offeredProtocols;
        this.offeredExtensions = offeredExtensions;
    }

    /** Subprotocols the client offered, in its order of preference. */
    public List<String> offeredProtocols() {
        return offeredProtocols;
    }

    /** The raw {@code Sec-WebSocket-Extensions} offer, or null. */
    public String offeredExtensions() {
        return offeredExtensions;
    }
}

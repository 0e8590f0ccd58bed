package dev.gust.websocket.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Sec-WebSocket-Protocol} negotiation (RFC 6455 section 4.2.2): the client offers a
 * comma-separated list, the server picks at most one. Names are compared exactly (they are
 * case-sensitive tokens).
 *
 * <pre>{@code
 * String chosen = Subprotocols.selectByServerPreference(req.header("Sec-WebSocket-Protocol"),
 *         List.of("graphql-transport-ws", "graphql-ws"));   // null: answer without the header
 * }</pre>
 */
public final class Subprotocols {
    private Subprotocols() {}

    /** The offered names in order, empty elements dropped; empty when the header is absent. */
    public static List<String> parse(String offered) {
        List<String> names = new ArrayList<>();
        if (offered == null) {
            return names;
        }
        int i = 0;
        while (i <= offered.length()) {
            int end = offered.indexOf(',', i);
            if (end < 0) {
                end = offered.length();
            }
            int start = HeaderTokens.skipSpaceForward(offered, i, end);
            int stop = HeaderTokens.skipSpaceBackward(offered, start, end);
            if (stop > start) {
                names.add(offered.substring(start, stop));
            }
            i = end + 1;
        }
        return names;
    }

    /** The first supported name in the server's order that the client offered, or {@code null}. */
    public static String selectByServerPreference(String offered, List<String> supported) {
        for (String name : supported) {
            if (HeaderTokens.indexOf(offered, name, false) >= 0) {
                return name;
            }
        }
        return null;
    }

    /** The first name in the client's order that the server supports, or {@code null}. */
    public static String selectByClientPreference(String offered, List<String> supported) {
        String best = null;
        int bestAt = Integer.MAX_VALUE;
        for (String name : supported) {
            int at = HeaderTokens.indexOf(offered, name, false);
            if (at >= 0 && at < bestAt) {
                best = name;
                bestAt = at;
            }
        }
        return best;
    }
}

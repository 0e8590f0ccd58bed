package dev.gust.websocket.deflate;

import java.util.List;

/**
 * The client's half of permessage-deflate negotiation (RFC 7692 section 7.1): the offer it sends
 * and the check of the server's answer.
 *
 * <p>The offer never names {@code client_max_window_bits}: java.util.zip's raw deflate always
 * uses a 15-bit window, so the client could not honour a smaller one; by not offering it, a server
 * may not ask (7.1.2.2). It never names {@code server_max_window_bits} either: the inflater takes
 * any window.
 *
 * <pre>{@code
 * request.header("Sec-WebSocket-Extensions", ClientNegotiation.offer(false, false));
 * DeflateParameters p = ClientNegotiation.accept(response.header("Sec-WebSocket-Extensions"));
 * }</pre>
 */
public final class ClientNegotiation {
    private ClientNegotiation() {}

    /** The offer: {@code permessage-deflate} with the optional context-takeover flags. */
    public static String offer(boolean askServerNoContextTakeover, boolean clientNoContextTakeover) {
        StringBuilder sb = new StringBuilder(ExtensionHeader.PERMESSAGE_DEFLATE);
        if (askServerNoContextTakeover) sb.append("; server_no_context_takeover");
        if (clientNoContextTakeover) sb.append("; client_no_context_takeover");
        return sb.toString();
    }

    /**
     * Checks the response to {@link #offer}: returns the agreed parameters, null when the server
     * declined (no extension in the response).
     *
     * @throws IllegalArgumentException when the client must fail the connection: an extension it
     *         did not offer, permessage-deflate twice, an unknown, repeated or invalid parameter, or
     *         {@code client_max_window_bits} (not offered)
     */
    public static DeflateParameters accept(String response) {
        List<ExtensionHeader.Extension> all = ExtensionHeader.parse(response);
        if (all.isEmpty()) return null;
        for (ExtensionHeader.Extension e : all) {
            if (!e.name().equalsIgnoreCase(ExtensionHeader.PERMESSAGE_DEFLATE)) {
                throw new IllegalArgumentException("server accepted an extension that was not offered: " + e.name());
            }
        }
        if (all.size() > 1) throw new IllegalArgumentException("server accepted permessage-deflate more than once");
        Params p = Params.read(all.get(0));
        if (p.error() != null) throw new IllegalArgumentException("invalid permessage-deflate response: " + p.error());
        if (p.clientMaxWindowBitsNamed()) {
            throw new IllegalArgumentException("server named client_max_window_bits, which was not offered");
        }
        return new DeflateParameters(p.serverNoContextTakeover(), p.clientNoContextTakeover(), p.serverMaxWindowBits(), 0);
    }
}

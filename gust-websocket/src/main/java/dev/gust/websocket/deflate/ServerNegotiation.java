package dev.gust.websocket.deflate;

/**
 * The server's half of permessage-deflate negotiation (RFC 7692 section 7.1): picks the first
 * {@code permessage-deflate} offer it can honour and builds the parameters of its response, or
 * declines them all (returns null: the connection proceeds uncompressed, which every client accepts).
 *
 * <p>Rules, per offer, in the client's order of preference:
 * <ul>
 *   <li>An offer with an unknown parameter, a repeated one, a value on a flag, or window bits
 *       outside 8..15 is declined (7.1).</li>
 *   <li>{@code server_no_context_takeover} offered: accepted and echoed (7.1.1.1). When the server
 *       wants it anyway ({@code serverResets}, a shared compressor) it is sent even if not offered,
 *       which 7.1.1.1 allows.</li>
 *   <li>{@code client_no_context_takeover}: sent when the server asks for it ({@code clientResets},
 *       a shared decompressor; 7.1.1.2 lets the server always send it) or when the client offered
 *       it as a hint (costs nothing, lets the server reset its inflater).</li>
 *   <li>{@code server_max_window_bits=N}: accepted and echoed as the RFC requires (7.1.2.1).
 *       java.util.zip's raw deflate always uses a 15-bit window, so for N &lt; 15 the server can
 *       keep its promise only without context takeover, by compressing just the messages of at
 *       most 2^N bytes (no back-reference can then reach further than 2^N; longer messages go
 *       uncompressed, which RFC 7692 allows). So such an offer is accepted with
 *       {@code server_no_context_takeover} added to the response (7.1.1.1 allows it), even in
 *       dedicated mode.</li>
 *   <li>{@code client_max_window_bits} (bare, as browsers send it, or with a value): accepted and
 *       not named in the response, since the inflater handles every window up to 15 bits; the
 *       server never names it when the client did not offer it (7.1.2.2).</li>
 * </ul>
 * Other extensions are ignored: the server never accepts an extension the client did not offer.
 *
 * <pre>{@code
 * DeflateParameters p = ServerNegotiation.negotiate(req.header("Sec-WebSocket-Extensions"), true, false);
 * if (p != null) responseHeaders.add("Sec-WebSocket-Extensions: " + p.toHeaderValue());
 * }</pre>
 */
public final class ServerNegotiation {
    private ServerNegotiation() {}

    /**
     * @param offers       the request's {@code Sec-WebSocket-Extensions} value (null: none)
     * @param serverResets the server will compress every message on its own (shared compressor)
     * @param clientResets the server wants the client to do the same (shared decompressor)
     * @return the agreed parameters, or null to decline
     */
    public static DeflateParameters negotiate(String offers, boolean serverResets, boolean clientResets) {
        for (ExtensionHeader.Extension offer : Params.deflateOffers(ExtensionHeader.parse(offers))) {
            Params p = Params.read(offer);
            if (p.error() != null) continue;
            boolean smallWindow = p.serverMaxWindowBits() != 0 && p.serverMaxWindowBits() < DeflateParameters.MAX_WINDOW_BITS;
            // A window smaller than java.util.zip's 15 bits can only be kept without context takeover, and
            // 7.1.1.1 lets the server add server_no_context_takeover to any response: so accept, resetting.
            boolean resets = p.serverNoContextTakeover() || serverResets || smallWindow;
            return new DeflateParameters(resets,
                    p.clientNoContextTakeover() || clientResets, p.serverMaxWindowBits(), 0);
        }
        return null;
    }
}

package dev.gust.websocket.deflate;

import java.util.List;

/**
 * The four permessage-deflate parameters read from one extension element, with the syntax rules
 * of RFC 7692 section 7.1 checked: known names only, each at most once, no value on the
 * {@code *_no_context_takeover} flags, window bits 8..15 ({@code client_max_window_bits} may be bare
 * in an offer). {@code error} names the first violation, or is null.
 */
record Params(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
              boolean clientMaxWindowBitsNamed, int clientMaxWindowBits, String error) {
    static final int BARE = -1;

    static Params read(ExtensionHeader.Extension e) {
        if (e.malformed()) return failed("malformed extension parameters");
        boolean snct = false, cnct = false, cmwbNamed = false, smwbNamed = false;
        int smwb = 0, cmwb = 0;
        for (ExtensionHeader.Param p : e.params()) {
            String v = p.value();
            switch (p.name().toLowerCase(java.util.Locale.ROOT)) {
                case "server_no_context_takeover" -> {
                    if (snct || v != null) return failed("invalid or repeated server_no_context_takeover");
                    snct = true;
                }
                case "client_no_context_takeover" -> {
                    if (cnct || v != null) return failed("invalid or repeated client_no_context_takeover");
                    cnct = true;
                }
                case "server_max_window_bits" -> {
                    smwb = bits(v);
                    if (smwbNamed || smwb <= 0) return failed("invalid or repeated server_max_window_bits");
                    smwbNamed = true;
                }
                case "client_max_window_bits" -> {
                    cmwb = v == null ? BARE : bits(v);
                    if (cmwbNamed || cmwb == 0) return failed("invalid or repeated client_max_window_bits");
                    cmwbNamed = true;
                }
                default -> {
                    return failed("unknown parameter " + p.name());
                }
            }
        }
        return new Params(snct, cnct, smwb, cmwbNamed, cmwb, null);
    }

    /** 8..15 written as plain decimal digits, else 0. */
    private static int bits(String v) {
        if (v == null || v.isEmpty() || v.length() > 2 || v.charAt(0) == '0') return 0;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return 0;
        int b = Integer.parseInt(v);
        return b >= DeflateParameters.MIN_WINDOW_BITS && b <= DeflateParameters.MAX_WINDOW_BITS ? b : 0;
    }

    private static Params failed(String why) {
        return new Params(false, false, 0, false, 0, why);
    }

    static List<ExtensionHeader.Extension> deflateOffers(List<ExtensionHeader.Extension> all) {
        return all.stream().filter(x -> x.name().equalsIgnoreCase(ExtensionHeader.PERMESSAGE_DEFLATE)).toList();
    }
}

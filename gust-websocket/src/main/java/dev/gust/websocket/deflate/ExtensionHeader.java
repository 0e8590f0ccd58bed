package dev.gust.websocket.deflate;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code Sec-WebSocket-Extensions} value (RFC 6455 section 9.1): comma-separated
 * extensions, each a token followed by {@code ;}-separated parameters {@code name[=value]}, where a
 * value is a token or a quoted string. Malformed elements are kept but marked, so a server can
 * decline just that offer and a client can fail the connection.
 *
 * <pre>{@code
 * for (var e : ExtensionHeader.parse("permessage-deflate; client_max_window_bits, x-foo"))
 *     System.out.println(e.name() + " " + e.params());
 * }</pre>
 */
public final class ExtensionHeader {
    public static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    /** One parameter; {@code value} is null when it has none, unquoted otherwise. */
    public record Param(String name, String value) {}

    /** One extension element; {@code malformed} when its syntax is broken. */
    public record Extension(String name, List<Param> params, boolean malformed) {}

    private ExtensionHeader() {}

    /** The elements of {@code header} in order; empty for null or blank. */
    public static List<Extension> parse(String header) {
        List<Extension> out = new ArrayList<>();
        if (header == null) return out;
        for (String element : splitOutsideQuotes(header, ',')) {
            if (element.isBlank()) continue;
            List<String> parts = splitOutsideQuotes(element, ';');
            String name = parts.get(0).strip();
            boolean malformed = !isToken(name);
            List<Param> params = new ArrayList<>();
            for (int i = 1; i < parts.size(); i++) {
                String p = parts.get(i).strip();
                int eq = p.indexOf('=');
                String pn = (eq < 0 ? p : p.substring(0, eq)).strip();
                String pv = eq < 0 ? null : p.substring(eq + 1).strip();
                if (pv != null && pv.length() >= 2 && pv.charAt(0) == '"' && pv.charAt(pv.length() - 1) == '"') {
                    pv = pv.substring(1, pv.length() - 1);
                    if (pv.indexOf('\\') >= 0) pv = pv.replaceAll("\\\\(.)", "$1");
                } else if (pv != null && !isToken(pv)) {
                    malformed = true;
                }
                if (!isToken(pn)) malformed = true;
                params.add(new Param(pn, pv));
            }
            out.add(new Extension(name, List.copyOf(params), malformed));
        }
        return out;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == '\\' && quoted) i++;
            else if (c == separator && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) return false;
        }
        return true;
    }
}

package dev.gust.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Query-string lookups for detached requests (the loop path decodes in place instead). */
final class QueryStrings {
    private QueryStrings() {}

    /** The first value of {@code name} in {@code query} ({@code a=1&b=2}), percent- and plus-decoded, or null. */
    static String first(String query, String name) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }
}

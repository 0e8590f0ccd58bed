package dev.gust.http.route;

import java.util.ArrayList;
import java.util.List;

/**
 * A route pattern split into segments: {@code /users/:id/files/*} gives static {@code users},
 * parameter {@code id}, static {@code files}, and a trailing wildcard.
 */
record RoutePattern(String source, List<String> segments, List<String> paramNames, boolean wildcard) {

    static RoutePattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        }
        String[] parts = pattern.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(parts.length);
        List<String> names = new ArrayList<>();
        boolean wildcard = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("*")) {
                if (i != parts.length - 1) throw new IllegalArgumentException("'*' must be the last segment: " + pattern);
                wildcard = true;
            } else if (part.startsWith(":")) {
                String name = part.substring(1);
                if (name.isEmpty()) throw new IllegalArgumentException("unnamed parameter in " + pattern);
                if (names.contains(name)) throw new IllegalArgumentException("duplicate parameter :" + name + " in " + pattern);
                names.add(name);
            } else if (part.indexOf('?') >= 0) {
                throw new IllegalArgumentException("route pattern must not contain a query: " + pattern);
            }
            segments.add(part);
        }
        return new RoutePattern(pattern, List.copyOf(segments), List.copyOf(names), wildcard);
    }

    static boolean isParam(String segment) {
        return segment.startsWith(":");
    }

    static boolean isWildcard(String segment) {
        return segment.equals("*");
    }
}

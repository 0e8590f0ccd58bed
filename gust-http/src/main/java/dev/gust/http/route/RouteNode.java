package dev.gust.http.route;

import dev.gust.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One level of the routing tree: children by static segment, one parameter child, one wildcard
 * child, and the routes that end here, by method.
 */
final class RouteNode<H> {
    private static final int METHODS = HttpMethod.values().length - 1;   // OTHER only matches ANY

    private byte[][] staticKeys = new byte[0][];
    private RouteNode<H>[] staticChildren = newArray(0);
    RouteNode<H> paramChild;
    RouteNode<H> wildcardChild;

    @SuppressWarnings("unchecked")
    private final Route<H>[] byMethod = (Route<H>[]) new Route<?>[METHODS];
    private Route<H> any;
    /** Bit per method with a route here (bit = ordinal); -1 if an ANY route accepts every method. */
    int methodMask;

    RouteNode<H> staticChild(String segment, boolean create) {
        byte[] key = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < staticKeys.length; i++) {
            if (Arrays.equals(staticKeys[i], key)) return staticChildren[i];
        }
        if (!create) return null;
        RouteNode<H> child = new RouteNode<>();
        staticKeys = Arrays.copyOf(staticKeys, staticKeys.length + 1);
        staticChildren = Arrays.copyOf(staticChildren, staticChildren.length + 1);
        staticKeys[staticKeys.length - 1] = key;
        staticChildren[staticChildren.length - 1] = child;
        return child;
    }

    /** The static child whose segment equals {@code path[offset, offset+length)}, or null. */
    RouteNode<H> staticChild(ByteBuffer path, int offset, int length) {
        byte[][] keys = staticKeys;
        for (int i = 0; i < keys.length; i++) {
            byte[] key = keys[i];
            if (key.length == length && sameBytes(key, path, offset)) return staticChildren[i];
        }
        return null;
    }

    void add(HttpMethod method, Route<H> route) {
        if (method == null) {
            if (any != null) throw duplicate(route, "ANY");
            any = route;
            methodMask = -1;
            return;
        }
        if (method == HttpMethod.OTHER) throw new IllegalArgumentException("route a named method or ANY, not OTHER");
        if (byMethod[method.ordinal()] != null) throw duplicate(route, method.name());
        byMethod[method.ordinal()] = route;
        if (methodMask != -1) methodMask |= 1 << method.ordinal();
    }

    /** The route for {@code method}: its own, GET's for HEAD, else ANY's; null if none. */
    Route<H> routeFor(HttpMethod method) {
        Route<H> route = null;
        if (method != HttpMethod.OTHER) {
            route = byMethod[method.ordinal()];
            if (route == null && method == HttpMethod.HEAD) route = byMethod[HttpMethod.GET.ordinal()];
        }
        return route != null ? route : any;
    }

    private static boolean sameBytes(byte[] key, ByteBuffer path, int offset) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] != path.get(offset + i)) return false;
        }
        return true;
    }

    private static IllegalStateException duplicate(Route<?> route, String method) {
        return new IllegalStateException("duplicate route " + method + " " + route.pattern());
    }

    @SuppressWarnings("unchecked")
    private static <H> RouteNode<H>[] newArray(int n) {
        return (RouteNode<H>[]) new RouteNode<?>[n];
    }
}

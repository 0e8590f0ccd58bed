package dev.gust.http.route;

import dev.gust.http.HttpMethod;
import dev.gust.http.parse.HttpRequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Routes requests by method and path to handlers of type {@code H}.
 *
 * <p>Patterns are {@code /}-separated segments: a static segment matches itself exactly (raw,
 * not percent-decoded); {@code :name} matches any one non-empty segment; a trailing {@code *}
 * matches the rest of the path (possibly empty). When several routes match, the static segment
 * wins over the parameter, which wins over the wildcard, segment by segment, backtracking when a
 * branch fails deeper. A path no route matches gives 404; a path matched only by routes of other
 * methods gives 405 with their {@code Allow} list. {@code HEAD} falls back to the {@code GET} route.
 *
 * <pre>{@code
 * Router<Handler> router = new Router<Handler>()
 *     .get("/users/:id", showUser)
 *     .post("/users", createUser)
 *     .get("/static/*", serveFile)
 *     .any("/health", health);
 * RouteMatch<Handler> match = new RouteMatch<>();          // reuse one per loop
 * switch (router.match(head, match)) {
 *     case FOUND -> match.handler().handle(match.param("id"));
 *     case METHOD_NOT_ALLOWED -> reply405(match.allow());
 *     case NOT_FOUND -> reply404();
 * }
 * }</pre>
 *
 * <p>Matching allocates nothing: parameters are recorded as offsets in the match and decoded
 * only when read. Add routes before sharing the router; matching is then safe from many threads,
 * each with its own {@link RouteMatch}.
 */
public final class Router<H> {
    private static final ByteBuffer ROOT_PATH = ByteBuffer.wrap(new byte[] {'/'}).asReadOnlyBuffer();

    private final RouteNode<H> root = new RouteNode<>();
    private int maxParams;

    public Router<H> get(String pattern, H handler) {
        return add(HttpMethod.GET, pattern, handler);
    }

    public Router<H> head(String pattern, H handler) {
        return add(HttpMethod.HEAD, pattern, handler);
    }

    public Router<H> post(String pattern, H handler) {
        return add(HttpMethod.POST, pattern, handler);
    }

    public Router<H> put(String pattern, H handler) {
        return add(HttpMethod.PUT, pattern, handler);
    }

    public Router<H> delete(String pattern, H handler) {
        return add(HttpMethod.DELETE, pattern, handler);
    }

    public Router<H> patch(String pattern, H handler) {
        return add(HttpMethod.PATCH, pattern, handler);
    }

    public Router<H> options(String pattern, H handler) {
        return add(HttpMethod.OPTIONS, pattern, handler);
    }

    /** A route for every method (including extension methods) not routed explicitly at this pattern. */
    public Router<H> any(String pattern, H handler) {
        return add(null, pattern, handler);
    }

    /**
     * Adds a route; {@code method == null} means any method.
     *
     * @throws IllegalArgumentException for a malformed pattern or {@link HttpMethod#OTHER}
     * @throws IllegalStateException if the same method and pattern shape are already routed
     */
    public Router<H> add(HttpMethod method, String pattern, H handler) {
        if (handler == null) throw new NullPointerException("handler");
        RoutePattern parsed = RoutePattern.parse(pattern);
        RouteNode<H> node = root;
        for (String segment : parsed.segments()) {
            if (RoutePattern.isWildcard(segment)) {
                if (node.wildcardChild == null) node.wildcardChild = new RouteNode<>();
                node = node.wildcardChild;
            } else if (RoutePattern.isParam(segment)) {
                if (node.paramChild == null) node.paramChild = new RouteNode<>();
                node = node.paramChild;
            } else {
                node = node.staticChild(segment, true);
            }
        }
        node.add(method, new Route<>(handler, pattern, parsed.paramNames(), parsed.wildcard()));
        maxParams = Math.max(maxParams, parsed.paramNames().size());
        return this;
    }

    /** Matches a parsed request in place (its method and raw path). */
    public RouteMatch.Outcome match(HttpRequestHead head, RouteMatch<H> out) {
        return match(head.method(), head.source(), head.pathOffset(), head.pathLength(), out);
    }

    /** Matches a raw path given as a string (encodes it, so this one allocates). */
    public RouteMatch.Outcome match(HttpMethod method, String rawPath, RouteMatch<H> out) {
        byte[] bytes = rawPath.getBytes(StandardCharsets.UTF_8);
        return match(method, ByteBuffer.wrap(bytes), 0, bytes.length, out);
    }

    /**
     * Matches the raw path at {@code path[offset, offset+length)} (an empty path means {@code /}).
     * The match refers to {@code path}, so read its parameters while that buffer is valid.
     */
    public RouteMatch.Outcome match(HttpMethod method, ByteBuffer path, int offset, int length, RouteMatch<H> out) {
        if (length == 0) {
            path = ROOT_PATH;
            offset = 0;
            length = 1;
        }
        out.begin(path, offset + length, maxParams);
        if (path.get(offset) != '/') return out.notFound();
        if (find(root, offset + 1, 0, method, out)) return out.outcome();
        return out.allowMask() != 0 ? out.methodNotAllowed() : out.notFound();
    }

    /**
     * Depth-first search from {@code node} for the segment starting at {@code start}, in
     * precedence order; records parameters on the way and methods seen for a 405.
     */
    private boolean find(RouteNode<H> node, int start, int depth, HttpMethod method, RouteMatch<H> out) {
        ByteBuffer path = out.path();
        int end = out.end();
        int slash = start;
        while (slash < end && path.get(slash) != '/') slash++;
        boolean last = slash == end;

        RouteNode<H> child = node.staticChild(path, start, slash - start);
        if (child != null && (last ? accept(child, depth, method, out) : find(child, slash + 1, depth, method, out))) {
            return true;
        }
        child = node.paramChild;
        if (child != null && slash > start) {
            out.setParam(depth, start, slash - start);
            if (last ? accept(child, depth + 1, method, out) : find(child, slash + 1, depth + 1, method, out)) {
                return true;
            }
        }
        child = node.wildcardChild;
        if (child != null) {
            out.setRest(start, end - start);
            return accept(child, depth, method, out);
        }
        return false;
    }

    private boolean accept(RouteNode<H> node, int params, HttpMethod method, RouteMatch<H> out) {
        Route<H> route = node.routeFor(method);
        if (route == null) {
            out.addAllowed(node.methodMask);
            return false;
        }
        out.found(route, params);
        return true;
    }
}

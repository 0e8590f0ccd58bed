package dev.gust.http.route;

import dev.gust.http.HttpMethod;
import dev.gust.http.PercentDecoder;
import java.nio.ByteBuffer;

/**
 * The result of {@link Router#match}: the outcome, the handler, and the path parameters as offsets
 * into the matched path, decoded to strings only when read. Reuse one instance per loop thread;
 * its values refer to the matched buffer and are valid while that buffer is.
 *
 * <pre>{@code
 * if (router.match(head, match) == RouteMatch.Outcome.FOUND) {
 *     String id = match.param("id");      // percent-decoded
 *     String file = match.rest();         // what "*" matched, raw
 * }
 * }</pre>
 */
public final class RouteMatch<H> {
    /** How a match ended. */
    public enum Outcome {
        FOUND,
        /** No route for this path (404). */
        NOT_FOUND,
        /** Routes exist for this path, but not for this method (405; see {@link #allow()}). */
        METHOD_NOT_ALLOWED
    }

    private static final HttpMethod[] METHODS = HttpMethod.values();
    private static final String[] ALLOW_CACHE = new String[1 << (METHODS.length - 1)];

    private final PercentDecoder decoder = new PercentDecoder();
    private ByteBuffer path;
    private int end;
    private int[] params = new int[8];   // offset, length per parameter
    private int paramCount;
    private int restOffset = -1;
    private int restLength;
    private int allowMask;
    private Route<H> route;
    private Outcome outcome = Outcome.NOT_FOUND;

    public Outcome outcome() {
        return outcome;
    }

    /** The matched route's handler, or {@code null} unless {@link Outcome#FOUND}. */
    public H handler() {
        return route == null ? null : route.handler();
    }

    /** The pattern of the matched route, e.g. {@code "/users/:id"}, or {@code null}. */
    public String pattern() {
        return route == null ? null : route.pattern();
    }

    public int paramCount() {
        return paramCount;
    }

    /** The name of parameter {@code index}, as written in the pattern without the colon. */
    public String paramName(int index) {
        checkParam(index);
        return route.paramNames().get(index);
    }

    /** Parameter {@code index}, percent-decoded (UTF-8). */
    public String param(int index) {
        checkParam(index);
        return decoder.decode(path, params[2 * index], params[2 * index + 1], false);
    }

    /** The parameter named {@code name}, percent-decoded, or {@code null} if the route has none. */
    public String param(String name) {
        if (route == null) return null;
        int index = route.paramNames().indexOf(name);
        return index < 0 ? null : param(index);
    }

    /** Offset of parameter {@code index} in the matched buffer (for zero-copy use). */
    public int paramOffset(int index) {
        checkParam(index);
        return params[2 * index];
    }

    /** Raw length of parameter {@code index} in the matched buffer. */
    public int paramLength(int index) {
        checkParam(index);
        return params[2 * index + 1];
    }

    /** What the trailing {@code *} matched, raw (not decoded, may be empty), or {@code null} without one. */
    public String rest() {
        if (restOffset < 0) return null;
        byte[] bytes = new byte[restLength];
        path.get(restOffset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** For {@link Outcome#METHOD_NOT_ALLOWED}: the {@code Allow} header value, e.g. {@code "GET, HEAD, POST"}. */
    public String allow() {
        if (outcome != Outcome.METHOD_NOT_ALLOWED) return null;
        String cached = ALLOW_CACHE[allowMask];
        if (cached == null) {   // benign race: every thread computes the same string
            StringBuilder sb = new StringBuilder();
            for (int m = 0; m < METHODS.length - 1; m++) {
                if ((allowMask & 1 << m) != 0) sb.append(sb.isEmpty() ? "" : ", ").append(METHODS[m].name());
            }
            cached = ALLOW_CACHE[allowMask] = sb.toString();
        }
        return cached;
    }

    // ---- filled in by Router ----

    void begin(ByteBuffer path, int end, int maxParams) {
        this.path = path;
        this.end = end;
        if (params.length < 2 * maxParams) params = new int[2 * maxParams];
        paramCount = 0;
        restOffset = -1;
        allowMask = 0;
        route = null;
        outcome = Outcome.NOT_FOUND;
    }

    ByteBuffer path() {
        return path;
    }

    int end() {
        return end;
    }

    void setParam(int index, int offset, int length) {
        params[2 * index] = offset;
        params[2 * index + 1] = length;
    }

    void setRest(int offset, int length) {
        restOffset = offset;
        restLength = length;
    }

    void addAllowed(int methodMask) {
        allowMask |= methodMask;
    }

    int allowMask() {
        return allowMask;
    }

    void found(Route<H> route, int params) {
        this.route = route;
        this.paramCount = params;
        if (!route.wildcard()) restOffset = -1;
        outcome = Outcome.FOUND;
    }

    Outcome notFound() {
        outcome = Outcome.NOT_FOUND;
        return outcome;
    }

    Outcome methodNotAllowed() {
        // GET routes also serve HEAD, so HEAD is allowed wherever GET is.
        if ((allowMask & 1 << HttpMethod.GET.ordinal()) != 0) allowMask |= 1 << HttpMethod.HEAD.ordinal();
        outcome = Outcome.METHOD_NOT_ALLOWED;
        return outcome;
    }

    private void checkParam(int index) {
        if (index < 0 || index >= paramCount) throw new IndexOutOfBoundsException("parameter " + index + " of " + paramCount);
    }

    @Override
    public String toString() {
        return outcome + (route == null ? "" : " " + route.pattern());
    }
}

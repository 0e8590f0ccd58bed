package dev.gust.http;

import dev.gust.http.parse.HttpRequestHead;
import dev.gust.http.route.RouteMatch;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * A request as a handler sees it: method, path, query, headers, route parameters and the body.
 *
 * <pre>{@code
 * server.get("/rooms/:room", (req, res) -> {
 *     String room = req.param("room");          // route parameter, percent-decoded
 *     String name = req.query("name");          // query parameter
 *     String agent = req.header("user-agent");  // case-insensitive
 *     res.end(room + " " + name);
 * });
 * }</pre>
 *
 * <p>On the loop the request reads the connection's receive buffer in place: it is valid during the
 * handler call; call {@link #detach()} to keep it longer. Requests given to blocking handlers are
 * detached already. The body is read with {@link #onData} on the loop, or {@link #body()} in a
 * blocking handler.
 */
public final class HttpRequest {
    private final HttpConnection connection;
    private HttpRequestHead head;
    private RouteMatch<?> match;
    private String[] detachedParams; // route params copied out when detached
    private String[] detachedNames;
    private boolean detached;
    private Snapshot snapshot; // a blocking request's own copy: the parser's head is reused by the next request

    /** What a detached request keeps: everything a handler can ask, copied out of the parser. */
    private record Snapshot(HttpMethod method, String methodName, String path, String query, String target,
                            String[] names, String[] values, boolean keepAlive, long contentLength, boolean hasBody,
                            boolean upgrade, String pattern) {}
    BodyPipe bodyPipe;        // blocking handlers
    BodyHandler bodyHandler;  // loop handlers

    HttpRequest(HttpConnection connection) {
        this.connection = connection;
    }

    void begin(HttpRequestHead head, RouteMatch<?> match) {
        this.head = head;
        this.match = match;
        this.detached = false;
        this.snapshot = null;
        this.detachedParams = null;
        this.detachedNames = null;
        this.bodyPipe = null;
        this.bodyHandler = null;
    }

    /** The method, {@link HttpMethod#OTHER} for extension methods. */
    public HttpMethod method() {
        if (snapshot != null) return snapshot.method;
        return head.method();
    }

    /** The method token as sent. */
    public String methodName() {
        if (snapshot != null) return snapshot.methodName;
        return head.methodName();
    }

    /** The percent-decoded path, without the query. */
    public String path() {
        if (snapshot != null) return snapshot.path;
        return head.path();
    }

    /** The raw query string (without {@code ?}), or null. */
    public String query() {
        if (snapshot != null) return snapshot.query;
        return head.query();
    }

    /** The first query parameter named {@code name}, percent-decoded, or null. */
    public String query(String name) {
        if (snapshot != null) return QueryStrings.first(snapshot.query, name);
        return head.queryParam(name);
    }

    /** The first header named {@code name} (case-insensitive), or null. */
    public String header(String name) {
        if (snapshot != null) {
            for (int i = 0; i < snapshot.names.length; i++) if (snapshot.names[i].equalsIgnoreCase(name)) return snapshot.values[i];
            return null;
        }
        return head.header(name);
    }

    /** True when the header {@code name} lists {@code token} (case-insensitive, comma-separated). */
    public boolean headerHasToken(String name, String token) {
        if (snapshot != null) {
            for (int i = 0; i < snapshot.names.length; i++) {
                if (!snapshot.names[i].equalsIgnoreCase(name)) continue;
                for (String t : snapshot.values[i].split(",")) if (t.strip().equalsIgnoreCase(token)) return true;
            }
            return false;
        }
        return head.headerHasToken(name, token);
    }

    /** The number of header fields. */
    public int headerCount() {
        if (snapshot != null) return snapshot.names.length;
        return head.headerCount();
    }

    public String headerName(int index) {
        if (snapshot != null) return snapshot.names[index];
        return head.headerName(index);
    }

    public String headerValue(int index) {
        if (snapshot != null) return snapshot.values[index];
        return head.headerValue(index);
    }

    /** The route parameter {@code :name}, percent-decoded, or null. */
    public String param(String name) {
        if (detachedParams != null) {
            for (int i = 0; i < detachedNames.length; i++) if (detachedNames[i].equals(name)) return detachedParams[i];
            return null;
        }
        return match == null ? null : match.param(name);
    }

    /** Route parameter number {@code index} (in pattern order), percent-decoded. */
    public String param(int index) {
        if (detachedParams != null) return detachedParams[index];
        return match.param(index);
    }

    /** The number of named route parameters. */
    public int paramCount() {
        if (detachedParams != null) {
            int n = detachedParams.length;
            return n > 0 && detachedNames[n - 1] == null ? n - 1 : n;
        }
        return match == null ? 0 : match.paramCount();
    }

    /** The name of route parameter {@code index}, as written in the pattern. */
    public String paramName(int index) {
        if (detachedParams != null) return detachedNames[index];
        return match.paramName(index);
    }

    /** What the route's trailing {@code *} matched (raw), or null. */
    public String rest() {
        if (detachedParams != null) {
            int n = detachedParams.length;
            return detachedNames[n - 1] == null ? detachedParams[n - 1] : null;
        }
        return match == null ? null : match.rest();
    }

    /** The route pattern that matched, e.g. {@code "/rooms/:room"}, or null. */
    public String pattern() {
        if (snapshot != null) return snapshot.pattern;
        return match == null ? null : match.pattern();
    }

    /** Whether the client asked for keep-alive. */
    public boolean keepAlive() {
        if (snapshot != null) return snapshot.keepAlive;
        return head.keepAlive();
    }

    /** The declared body length, or -1 when chunked or absent. */
    public long contentLength() {
        if (snapshot != null) return snapshot.contentLength;
        return head.isChunked() ? -1 : head.contentLength();
    }

    /** Whether a body follows the head. */
    public boolean hasBody() {
        if (snapshot != null) return snapshot.hasBody;
        return head.hasBody();
    }

    /** Whether this is an upgrade request ({@code Connection: upgrade} + {@code Upgrade}). */
    public boolean isUpgrade() {
        if (snapshot != null) return snapshot.upgrade;
        return head.isUpgrade();
    }

    /** The client's address. */
    public InetSocketAddress remoteAddress() {
        return connection.socket.remoteAddress();
    }

    /** The underlying parsed head (advanced use; on the loop, during the handler call only). */
    public HttpRequestHead head() {
        return head;
    }

    /**
     * Copies what the request reads in place (head, route parameters), so it stays valid after the
     * handler returns. Costs one copy; blocking handlers get detached requests.
     */
    public HttpRequest detach() {
        if (detached) return this;
        int n0 = head.headerCount();
        String[] names = new String[n0], values = new String[n0];
        for (int i = 0; i < n0; i++) {
            names[i] = head.headerName(i);
            values[i] = head.headerValue(i);
        }
        snapshot = new Snapshot(head.method(), head.methodName(), head.path(), head.query(), head.target(), names, values,
                head.keepAlive(), head.isChunked() ? -1 : head.contentLength(), head.hasBody(), head.isUpgrade(),
                match == null ? null : match.pattern());
        if (match != null) {
            int n = match.paramCount();
            String rest = match.rest();
            int total = n + (rest != null ? 1 : 0);
            detachedParams = new String[total];
            detachedNames = new String[total];
            for (int i = 0; i < n; i++) {
                detachedParams[i] = match.param(i);
                detachedNames[i] = match.paramName(i);
            }
            if (rest != null) detachedParams[n] = rest; // name null marks the wildcard
        }
        detached = true;
        return this;
    }

    /**
     * Receives the body on the loop thread as it arrives (loop handlers). Call during the handler;
     * without it the body is discarded.
     */
    public void onData(BodyHandler handler) {
        connection.loop().checkThread("HttpRequest.onData");
        if (bodyPipe != null) throw new IllegalStateException("this request's body is read as an InputStream");
        this.bodyHandler = handler;
        connection.bodyHandlerSet();
    }

    /**
     * The body as a blocking stream (blocking handlers only). On the loop thread this throws: reading
     * synchronously there would block every connection of the loop.
     *
     * @throws IllegalStateException on the loop thread: use {@link #onData} or a blocking handler
     */
    public InputStream body() {
        if (bodyPipe == null) {
            if (connection.loop().isOnLoopThread()) {
                throw new IllegalStateException("HttpRequest.body() would block the loop thread; use req.onData(...) "
                        + "or register the route as blocking (e.g. server.postBlocking(...))");
            }
            return InputStream.nullInputStream();
        }
        return bodyPipe;
    }

    @Override
    public String toString() {
        if (snapshot != null) return "HttpRequest[" + snapshot.methodName + " " + snapshot.target + "]";
        return head == null ? "HttpRequest[]" : "HttpRequest[" + head.methodName() + " " + head.target() + "]";
    }
}

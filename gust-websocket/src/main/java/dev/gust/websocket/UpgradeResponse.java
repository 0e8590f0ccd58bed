package dev.gust.websocket;

import dev.gust.http.HttpResponse;

/**
 * The answer to an upgrade request: accept it with user data (and a subprotocol), or reject it.
 *
 * <pre>{@code
 * .upgrade((req, res, ctx) -> {
 *     String token = req.query("token");
 *     if (token == null) res.reject(401, "token required");
 *     else res.upgrade(new User(token), ctx);
 * })
 * }</pre>
 *
 * @param <U> the per-connection user data type
 */
public interface UpgradeResponse<U> {
    /** Accepts with {@code data} attached to the connection, choosing the first offered subprotocol the route supports. */
    void upgrade(U data, UpgradeContext ctx);

    /** Accepts with {@code data} and the given subprotocol (one the client offered, or null for none). */
    void upgrade(U data, UpgradeContext ctx, String subprotocol);

    /** Refuses with an HTTP status and a short plain-text body; the connection stays HTTP. */
    void reject(int status, String message);

    /** The plain HTTP response, for full control over a refusal. */
    HttpResponse http();
}

package dev.gust.http;

/**
 * Handles one request. Registered with {@link HttpServer#get} and friends it runs <em>on the loop
 * thread</em> and must not block; registered with {@link HttpServer#getBlocking} and friends it runs
 * on its own virtual thread and may block freely (read the body as an {@code InputStream}, write the
 * response with backpressure).
 *
 * <pre>{@code
 * server.get("/hello/:name", (req, res) -> res.end("Hello, " + req.param("name")));
 * }</pre>
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * @param req valid until the response ends (on the loop: read what you need during this call,
     *            or call {@link HttpRequest#detach()})
     * @param res end it now or later, from any thread
     */
    void handle(HttpRequest req, HttpResponse res) throws Exception;
}

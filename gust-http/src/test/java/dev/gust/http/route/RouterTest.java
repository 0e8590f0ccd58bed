package dev.gust.http.route;

import static dev.gust.http.HttpMethod.DELETE;
import static dev.gust.http.HttpMethod.GET;
import static dev.gust.http.HttpMethod.HEAD;
import static dev.gust.http.HttpMethod.OTHER;
import static dev.gust.http.HttpMethod.POST;
import static dev.gust.http.HttpMethod.PUT;
import static dev.gust.http.route.RouteMatch.Outcome.FOUND;
import static dev.gust.http.route.RouteMatch.Outcome.METHOD_NOT_ALLOWED;
import static dev.gust.http.route.RouteMatch.Outcome.NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gust.http.HttpMethod;
import dev.gust.http.parse.HttpRequestParser;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final RouteMatch<String> match = new RouteMatch<>();

    private String route(Router<String> router, HttpMethod method, String path) {
        RouteMatch.Outcome outcome = router.match(method, path, match);
        assertEquals(outcome, match.outcome());
        return outcome == FOUND ? match.handler() : outcome.name();
    }

    @Test
    void matchesStaticParamAndWildcardRoutes() {
        Router<String> router = new Router<String>()
                .get("/", "root")
                .get("/users", "list")
                .get("/users/:id", "show")
                .get("/users/:id/posts/:post", "post")
                .get("/static/*", "files");
        assertEquals("root", route(router, GET, "/"));
        assertEquals("list", route(router, GET, "/users"));
        assertEquals("show", route(router, GET, "/users/42"));
        assertEquals("42", match.param("id"));
        assertEquals("post", route(router, GET, "/users/7/posts/99"));
        assertEquals(2, match.paramCount());
        assertEquals("7", match.param(0));
        assertEquals("post", match.paramName(1));
        assertEquals("99", match.param("post"));
        assertNull(match.param("nope"));
        assertNull(match.rest());
        assertEquals("files", route(router, GET, "/static/css/site.css"));
        assertEquals("css/site.css", match.rest());
        assertEquals("/static/*", match.pattern());
    }

    @Test
    void pathsMustMatchWholeSegments() {
        Router<String> router = new Router<String>().get("/users/:id", "show").get("/static/*", "files");
        assertEquals("NOT_FOUND", route(router, GET, "/users"));
        assertEquals("NOT_FOUND", route(router, GET, "/users/"), "a parameter needs a non-empty segment");
        assertEquals("NOT_FOUND", route(router, GET, "/users/1/extra"));
        assertEquals("NOT_FOUND", route(router, GET, "/usersx/1"));
        assertEquals("NOT_FOUND", route(router, GET, "/static"), "the wildcard follows a slash");
        assertEquals("files", route(router, GET, "/static/"));
        assertEquals("", match.rest());
        assertEquals("NOT_FOUND", route(router, GET, "relative"));
        assertEquals("NOT_FOUND", route(router, GET, "*"));
    }

    @Test
    void staticBeatsParamBeatsWildcardWithBacktracking() {
        Router<String> router = new Router<String>()
                .get("/a/new", "static")
                .get("/a/:id", "param")
                .get("/a/*", "wild")
                .get("/x/y/z", "deep-static")
                .get("/x/:p/w", "deep-param")
                .get("/*", "catch-all");
        assertEquals("static", route(router, GET, "/a/new"));
        assertEquals("param", route(router, GET, "/a/old"));
        assertEquals("wild", route(router, GET, "/a/b/c"));
        assertEquals("b/c", match.rest());
        assertEquals("deep-static", route(router, GET, "/x/y/z"));
        // "y" matches the static branch first, which fails at "w": backtrack to the parameter.
        assertEquals("deep-param", route(router, GET, "/x/y/w"));
        assertEquals("y", match.param("p"));
        assertEquals("catch-all", route(router, GET, "/x/y/q"));
        assertEquals("x/y/q", match.rest());
        assertEquals(0, match.paramCount(), "parameters from abandoned branches are dropped");
    }

    @Test
    void distinguishes404From405AndListsAllowedMethods() {
        Router<String> router = new Router<String>()
                .get("/items", "list")
                .post("/items", "create")
                .put("/items/:id", "replace")
                .delete("/items/:id", "remove");
        assertEquals("METHOD_NOT_ALLOWED", route(router, PUT, "/items"));
        assertEquals("GET, HEAD, POST", match.allow());
        assertNull(match.handler());
        assertEquals("METHOD_NOT_ALLOWED", route(router, GET, "/items/3"));
        assertEquals("PUT, DELETE", match.allow());
        assertEquals("NOT_FOUND", route(router, GET, "/other"));
        assertNull(match.allow());
    }

    @Test
    void allowUnitesEveryRouteThatMatchesThePath() {
        Router<String> router = new Router<String>().get("/a/b", "static").post("/a/:p", "param");
        assertEquals("METHOD_NOT_ALLOWED", route(router, DELETE, "/a/b"));
        assertEquals("GET, HEAD, POST", match.allow());
        assertEquals("param", route(router, POST, "/a/b"), "a lower-precedence route of the right method wins");
    }

    @Test
    void headFallsBackToGetAndAnyCatchesTheRest() {
        Router<String> router = new Router<String>()
                .get("/page", "get")
                .head("/only-head", "head")
                .any("/page", "any")
                .any("/anything", "any2");
        assertEquals("get", route(router, HEAD, "/page"));
        assertEquals("any", route(router, POST, "/page"));
        assertEquals("any", route(router, OTHER, "/page"), "extension methods reach ANY routes");
        assertEquals("any2", route(router, DELETE, "/anything"));
        assertEquals("head", route(router, HEAD, "/only-head"));
        assertEquals("METHOD_NOT_ALLOWED", route(router, GET, "/only-head"));
        assertEquals("HEAD", match.allow());
    }

    @Test
    void paramsArePercentDecodedButStaticSegmentsMatchRawBytes() {
        Router<String> router = new Router<String>().get("/files/:name", "file").get("/caf%C3%A9", "raw");
        assertEquals("file", route(router, GET, "/files/a%20b%2Fc"));
        assertEquals("a b/c", match.param("name"));
        assertEquals("/files/".length(), match.paramOffset(0));
        assertEquals("a%20b%2Fc".length(), match.paramLength(0));
        assertEquals("file", route(router, GET, "/files/%E2%82%AC"));
        assertEquals("\u20ac", match.param(0));
        assertEquals("raw", route(router, GET, "/caf%C3%A9"));
    }

    @Test
    void trailingSlashIsASeparateRoute() {
        Router<String> router = new Router<String>().get("/dir", "no-slash").get("/dir/", "slash");
        assertEquals("no-slash", route(router, GET, "/dir"));
        assertEquals("slash", route(router, GET, "/dir/"));
    }

    @Test
    void rejectsBadPatternsAndDuplicates() {
        Router<String> router = new Router<>();
        assertThrows(IllegalArgumentException.class, () -> router.get("no-slash", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/a/*/b", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/a/:", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/a/:id/:id", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.get("/a?x=1", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.add(OTHER, "/a", "x"));
        assertThrows(NullPointerException.class, () -> router.get("/a", null));
        router.get("/users/:id", "a");
        assertThrows(IllegalStateException.class, () -> router.get("/users/:name", "b"), "same shape, same method");
        router.post("/users/:name", "c");
        router.any("/x", "d");
        assertThrows(IllegalStateException.class, () -> router.any("/x", "e"));
    }

    @Test
    void matchesAParsedHeadInPlace() {
        Router<String> router = new Router<String>().get("/users/:id", "show");
        byte[] raw = "GET /users/a%2Bb?x=1 HTTP/1.1\r\nHost: h\r\n\r\nGET http://h HTTP/1.1\r\nHost: h\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        StringBuilder seen = new StringBuilder();
        new HttpRequestParser().feed(ByteBuffer.wrap(raw), head -> {
            RouteMatch.Outcome outcome = router.match(head, match);
            seen.append(outcome).append(' ').append(outcome == FOUND ? match.param("id") : "-").append(';');
            return true;
        });
        assertEquals("FOUND a+b;NOT_FOUND -;", seen.toString());
    }

    @Test
    void matchingAllocatesNothing() {
        Router<String> router = new Router<String>()
                .get("/", "root").get("/api/v1/items", "items").get("/api/v1/items/:id", "item")
                .post("/api/v1/items/:id/tags/:tag", "tag").get("/assets/*", "assets");
        for (int i = 0; i < 50; i++) router.get("/static" + i, "s" + i);
        ByteBuffer paths = ByteBuffer.wrap("/api/v1/items/42/tags/x/assets/a/b.css/static37/nope".getBytes(StandardCharsets.US_ASCII));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RouteMatch<String> m = new RouteMatch<>();
        int found = 0;
        for (int round = 0; round < 2; round++) {   // first round warms up
            long before = threads.getCurrentThreadAllocatedBytes();
            found = 0;
            for (int i = 0; i < 5_000; i++) {
                found += router.match(GET, paths, 0, 16, m) == FOUND ? 1 : 0;               // /api/v1/items/42
                found += router.match(POST, paths, 0, 23, m) == FOUND ? 1 : 0;              // .../tags/x
                found += router.match(GET, paths, 23, 15, m) == FOUND ? 1 : 0;              // /assets/a/b.css
                found += router.match(GET, paths, 38, 9, m) == FOUND ? 1 : 0;               // /static37
                found += router.match(GET, paths, 47, 5, m) == NOT_FOUND ? 1 : 0;           // /nope
                found += router.match(PUT, paths, 0, 16, m) == METHOD_NOT_ALLOWED ? 1 : 0;  // 405
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) assertEquals(true, allocated < 2_048, "allocated " + allocated + " bytes");
        }
        assertEquals(30_000, found);
    }
}

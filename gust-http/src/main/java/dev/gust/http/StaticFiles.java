package dev.gust.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves files from a directory (a blocking handler: file reads happen on a virtual thread, never on
 * the loop). Paths that escape the directory, directories and missing files answer 404.
 */
final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"));

    private final Path root;

    StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void handle(HttpRequest req, HttpResponse res) throws IOException {
        String rest = req.rest();
        String relative = rest == null ? "" : java.net.URLDecoder.decode(rest, java.nio.charset.StandardCharsets.UTF_8);
        if (relative.isEmpty() || relative.endsWith("/")) relative += "index.html";
        Path file = root.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            res.status(404).header("Content-Type", "text/plain; charset=utf-8").end("not found");
            return;
        }
        long size = Files.size(file);
        res.status(200).header("Content-Type", contentType(file)).header("Content-Length", size);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) res.write(java.nio.ByteBuffer.wrap(buf, 0, n));
        }
        res.end();
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}

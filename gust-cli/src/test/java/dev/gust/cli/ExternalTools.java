package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the programs the interop and browser tests drive (node, the npm packages in tools/node,
 * Chromium). A missing one fails the test with what to install; it never skips silently.
 */
final class ExternalTools {
    /** Where Debian's chromium package puts the browser; {@code GUST_CHROMIUM} overrides it. */
    static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

    private ExternalTools() {}

    /** The repository root: the first directory up from the working directory holding tools/node/package.json. */
    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/node/package.json"))) return d;
        }
        return fail("tools/node/package.json not found above " + Path.of("").toAbsolutePath() + ": run the tests from the Gust checkout");
    }

    static Path nodeTools() {
        return repoRoot().resolve("tools/node");
    }

    /** The node executable on the PATH. */
    static Path requireNode() {
        Path node = onPath("node");
        if (node == null) fail("node not found on the PATH: run .ci/run or apt-get install nodejs npm (Node.js 20 or newer)");
        return node;
    }

    /** Checks that {@code npm ci --prefix tools/node} has installed {@code pkg}. */
    static void requireNodeModule(String pkg) {
        Path dir = nodeTools().resolve("node_modules").resolve(pkg);
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
            fail("npm package '" + pkg + "' not installed in " + dir.getParent()
                    + ": run ./gust test (it installs them) or npm ci --prefix tools/node");
        }
    }

    /** The Chromium binary the browser tests launch. */
    static Path requireChromium() {
        String configured = System.getenv("GUST_CHROMIUM");
        Path chromium = Path.of(configured == null || configured.isBlank() ? DEFAULT_CHROMIUM : configured);
        if (!Files.isExecutable(chromium)) {
            fail("chromium not found at " + chromium + ": run .ci/run or apt-get install chromium (or set GUST_CHROMIUM)");
        }
        return chromium;
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}

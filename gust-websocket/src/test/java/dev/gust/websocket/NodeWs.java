package dev.gust.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: runs the npm {@code ws} scripts in tools/node. Fails (never skips) with a clear
 * message when node or the installed packages are missing.
 */
final class NodeWs implements AutoCloseable {
    static final Path TOOLS = locateTools();
    private final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

    private NodeWs(Process p) {
        this.process = p;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    all.add(l);
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
    }

    private static Path locateTools() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("tools/node"))) p = p.getParent();
        if (p == null) throw new AssertionError("tools/node not found above " + Path.of("").toAbsolutePath());
        return p.resolve("tools/node");
    }

    static NodeWs start(String script, String... args) throws IOException {
        if (!Files.isDirectory(TOOLS.resolve("node_modules/ws"))) {
            throw new AssertionError("npm ws is not installed: run `npm ci --prefix tools/node` (needs Node 20)");
        }
        List<String> cmd = new ArrayList<>(List.of("node", TOOLS.resolve(script).toString()));
        cmd.addAll(List.of(args));
        try {
            return new NodeWs(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new AssertionError("cannot run node (Node 20 must be on PATH): " + e.getMessage(), e);
        }
    }

    /** The next output line starting with {@code prefix} (others are skipped), within 20 s. */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) throw new AssertionError("node printed no '" + prefix + "' line; output: " + all);
            if (l.startsWith(prefix)) return l.substring(prefix.length()).strip();
            if (l.startsWith("FAIL")) throw new AssertionError("node: " + l + "; output: " + all);
        }
    }

    /** Waits for the process to exit (20 s) and returns its code. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node did not exit; output: " + all);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

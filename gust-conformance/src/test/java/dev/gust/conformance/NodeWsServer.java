package dev.gust.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts tools/node/ws-echo-server.mjs (npm ws) on a free port; null-safe helpers tell the tests when node is missing. */
final class NodeWsServer implements AutoCloseable {
    final Process process;
    final int port;

    private NodeWsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The script, if this checkout has it and {@code npm ci --prefix tools/node} has been run. */
    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve("tools/node/ws-echo-server.mjs");
            if (Files.isRegularFile(s) && Files.isDirectory(dir.resolve("tools/node/node_modules/ws"))) return s;
        }
        return null;
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static NodeWsServer start(String... extraArgs) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        List<String> cmd = new ArrayList<>(List.of("node", script().toString(), String.valueOf(port)));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("listening")) {
            p.destroy();
            throw new IOException("ws-echo-server did not start: " + line);
        }
        Thread.ofVirtual().start(() -> { try { r.transferTo(java.io.Writer.nullWriter()); } catch (IOException ignored) { } });
        return new NodeWsServer(p, port);
    }

    java.net.URI uri() { return java.net.URI.create("ws://127.0.0.1:" + port); }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}

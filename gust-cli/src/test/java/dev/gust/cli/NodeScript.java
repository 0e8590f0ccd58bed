package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one script from tools/node under node, bounded in time. The script's last stdout line that
 * starts with <code>{</code> is its JSON result.
 *
 * <pre>{@code
 * NodeScript.Result r = NodeScript.run("ws-interop.mjs", Duration.ofSeconds(30), port, "echo");
 * assertEquals("hello", r.json().get("text"), r.describe());
 * }</pre>
 */
final class NodeScript {
    private NodeScript() {}

    /** What the script did: exit code, its output (kept in files under target/node) and its JSON result (null if none). */
    record Result(int exitCode, String stdout, String stderr, Map<String, Object> json) {
        /** Everything needed to understand a failure, for assertion messages. */
        String describe() {
            return "exit " + exitCode + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
        }

        /** The JSON result, failing the test (with the output) if the script did not succeed or print one. */
        Map<String, Object> requireSuccess() {
            if (exitCode != 0 || json == null) fail("node script failed\n" + describe());
            return json;
        }
    }

    /** Runs {@code node tools/node/<script> args...}; kills it (and its children) after {@code timeout}. */
    static Result run(String script, Duration timeout, Object... args) throws IOException, InterruptedException {
        Path node = ExternalTools.requireNode();
        Path tools = ExternalTools.nodeTools();
        Path scriptFile = tools.resolve(script);
        if (!Files.isRegularFile(scriptFile)) fail("node script missing: " + scriptFile);
        List<String> command = new ArrayList<>(List.of(node.toString(), scriptFile.toString()));
        for (Object a : args) command.add(String.valueOf(a));

        Path logDir = Files.createDirectories(ExternalTools.repoRoot().resolve("gust-cli/target/node"));
        Path out = Files.createTempFile(logDir, script + "-", ".out");
        Path err = Files.createTempFile(logDir, script + "-", ".err");
        Process p = new ProcessBuilder(command).directory(tools.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(p);
            fail("node " + script + " did not finish within " + timeout + "\n--- stdout ---\n" + tail(read(out))
                    + "\n--- stderr ---\n" + tail(read(err)));
        }
        String stdout = read(out);
        return new Result(p.exitValue(), stdout, read(err), resultLine(stdout));
    }

    /** The last stdout line that is a JSON object, parsed; null if there is none. */
    static Map<String, Object> resultLine(String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) return MiniJson.parseObject(line);
        }
        return null;
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}

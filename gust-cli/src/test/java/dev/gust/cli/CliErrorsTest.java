package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Bad options and ports in use end with a clear message and a non-zero exit, never a stack trace or a hang. */
@Timeout(60)
class CliErrorsTest {
    private static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Test
    void unknownTransportCompressionAndKindAreRefused() {
        assertEquals(2, run("serve", "echo", "--transport", "bogus"));
        assertEquals(2, run("serve", "echo", "--compression", "zip"));
        assertEquals(2, run("serve", "nonsense"));      // picocli: invalid value
        assertEquals(2, run("serve", "echo", "--port", "not-a-number"));
    }

    @Test
    void demoRefusesAnUnknownCompressionWithAClearMessage() {
        String err = stderrOf(() -> assertEquals(2, run("demo", "--compression", "zip", "--port", "0")));
        org.junit.jupiter.api.Assertions.assertTrue(
                err.contains("gust demo: --compression must be off, shared or dedicated, not 'zip'"), err);
        err = stderrOf(() -> assertEquals(2, run("serve", "echo", "--compression", "gzip", "--port", "0")));
        org.junit.jupiter.api.Assertions.assertTrue(
                err.contains("gust serve: --compression must be off, shared or dedicated, not 'gzip'"), err);
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(2, run("serve", "hello", "--port", String.valueOf(taken.getLocalPort()), "--host", "127.0.0.1"));
        }
    }

    @Test
    void unreachableRedisIsAClearError() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        assertEquals(2, run("serve", "echo", "--port", "0", "--redis", "redis://127.0.0.1:" + free));
    }

    @Test
    void loopsBelowOneOrNotANumberAreRefusedWithAClearMessage() {
        for (String[] args : new String[][] {{"serve", "echo", "--loops", "0"}, {"serve", "hello", "--loops", "-2"},
                {"demo", "--loops", "0"}}) {
            String err = stderrOf(() -> assertEquals(2, run(args), String.join(" ", args)));
            org.junit.jupiter.api.Assertions.assertTrue(err.contains("--loops must be at least 1"), err);
        }
        java.io.StringWriter picocliErr = new java.io.StringWriter();
        int code = new CommandLine(new Main()).setErr(new java.io.PrintWriter(picocliErr, true))
                .execute("serve", "echo", "--loops", "many");
        assertEquals(2, code);
        org.junit.jupiter.api.Assertions.assertTrue(picocliErr.toString().contains("--loops"), picocliErr.toString());
        code = new CommandLine(new Main()).setErr(new java.io.PrintWriter(new java.io.StringWriter(), true))
                .execute("demo", "--loops", "1.5");
        assertEquals(2, code);
    }

    @Test
    void helpExplainsLoopsAndCompression() {
        for (String command : new String[] {"serve", "demo"}) {
            java.io.StringWriter out = new java.io.StringWriter();
            assertEquals(0, new CommandLine(new Main()).setOut(new java.io.PrintWriter(out, true)).execute(command, "--help"));
            org.junit.jupiter.api.Assertions.assertTrue(out.toString().contains("--loops=N"), out.toString());
            String flowing = out.toString().replaceAll("\\s+", " "); // help text wraps lines
            org.junit.jupiter.api.Assertions.assertTrue(flowing.contains("Default: one per available processor"), out.toString());
        }
    }

    private static String stderrOf(Runnable r) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return err.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}

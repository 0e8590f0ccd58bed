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
}

package dev.gust.nio2;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unmodified NIO.2 code ({@link EchoProgram}) in a child JVM: the standard system property switches
 * it to Gust, and without the property the gust-nio2 jar on the class path changes nothing.
 */
@Timeout(120)
class Nio2DropInTest {

    private static Result run(boolean selectGust) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx128m");
        String transport = System.getProperty("gust.transport");
        if (transport != null) cmd.add("-Dgust.transport=" + transport);
        if (selectGust) cmd.add("-D" + GustAsynchronousChannelProvider.PROPERTY + "=" + GustAsynchronousChannelProvider.class.getName());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EchoProgram.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes(); // ends when the child exits (or the test's timeout kills us)
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM must exit by itself (daemon loop threads)");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    record Result(int exit, String output) {}

    @Test
    void thePropertySwitchesAnUnmodifiedProgramToGust() throws Exception {
        Result r = run(true);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("PROVIDER " + GustAsynchronousChannelProvider.class.getName()), r.output());
        assertTrue(r.output().contains("ECHO hello"), r.output());
        assertTrue(r.output().contains("HANDLER-THREAD gust-nio2-default-"), "handlers run on Gust loop threads: " + r.output());
    }

    @Test
    void withoutThePropertyTheJarOnTheClassPathChangesNothing() throws Exception {
        Result r = run(false);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("PROVIDER sun.nio.ch."), r.output());
        assertTrue(r.output().contains("ECHO hello"), r.output());
    }

    @Test
    void theJarRegistersNoService() {
        assertTrue(ServiceLoader.load(AsynchronousChannelProvider.class).findFirst().isEmpty(),
                "a META-INF/services entry would switch every program that has the jar on its class path");
    }

    static void unused() throws IOException {}
}

package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The suite runs once per transport (see pom.xml); make sure each run really uses the one it names. */
class TransportSelectionTest {
    @Test
    void defaultsUseTheRequestedTransport() {
        String requested = System.getProperty(Transports.PROPERTY);
        assumeTrue(requested != null, "no transport requested");
        // io_uring may be disabled (sysctl kernel.io_uring_disabled, container seccomp): that run falls back to NIO.
        assumeTrue(Transports.named(requested) != null, requested + " is not available on this machine");
        try (Loop loop = Loop.create()) {
            assertEquals(requested, loop.options().transport().name(),
                    "the suite was asked to run on " + requested + " but does not (see the log line)");
        }
    }

    @Test
    void namedTransports() {
        assertEquals("nio", Transports.named("nio").name());
        if (System.getProperty("os.name").startsWith("Linux")) assertNotNull(Transports.named("epoll"));
    }
}

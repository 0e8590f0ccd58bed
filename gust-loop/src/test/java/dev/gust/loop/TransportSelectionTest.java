package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** The suite runs once per transport (see pom.xml); make sure each run really uses the one it names. */
class TransportSelectionTest {
    @Test
    void defaultsUseTheRequestedTransport() {
        String requested = System.getProperty(Transports.PROPERTY);
        try (Loop loop = Loop.create()) {
            if (requested != null) assertEquals(requested, loop.options().transport().name(),
                    "the suite was asked to run on " + requested + " but does not (see the log line)");
        }
    }

    @Test
    void namedTransportsOnLinux() {
        assertEquals("nio", Transports.named("nio").name());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertNotNull(Transports.named("epoll"));
            assertNotNull(Transports.named("io_uring"));
        }
    }
}

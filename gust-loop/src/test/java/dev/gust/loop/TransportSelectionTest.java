package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The suite runs once per transport (see pom.xml); make sure each run really uses the one it names,
 * and that an unavailable transport falls back to NIO as documented (never silently to something else).
 */
class TransportSelectionTest {
    @Test
    void defaultsUseTheRequestedTransportOrTheDocumentedFallback() {
        String requested = System.getProperty(Transports.PROPERTY);
        String expected;
        if (requested == null) {
            // No request: epoll on Linux with native access, else NIO.
            boolean epoll = System.getProperty("os.name").startsWith("Linux")
                    && Transports.class.getModule().isNativeAccessEnabled() && Transports.named("epoll") != null;
            expected = epoll ? "epoll" : "nio";
        } else {
            // io_uring may be disabled (sysctl kernel.io_uring_disabled, seccomp): then the run is on NIO, by design.
            expected = Transports.named(requested) != null ? Transports.named(requested).name() : "nio";
        }
        try (Loop loop = Loop.create()) {
            assertEquals(expected, loop.options().transport().name(),
                    "asked for " + requested + "; the loop must use " + expected + " (see the log line)");
        }
    }

    @Test
    void namedTransports() {
        assertEquals("nio", Transports.named("nio").name());
        assertNull(Transports.named("no-such-transport"));
        if (System.getProperty("os.name").startsWith("Linux")) assertNotNull(Transports.named("epoll"));
    }
}

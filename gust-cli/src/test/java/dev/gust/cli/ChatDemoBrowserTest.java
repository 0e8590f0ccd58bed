package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gust.websocket.App;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat demo end to end in headless Chromium (tools/node/chat-e2e.mjs, playwright-core): two
 * users join one room, each sees the other's message and their own, then one switches rooms. Leaves a screenshot at
 * gust-cli/target/e2e-chat.png.
 */
@Timeout(120)
class ChatDemoBrowserTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private App app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> user(Map<String, Object> result, String name) {
        return (Map<String, Object>) result.get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> log(Map<String, Object> user) {
        return (List<String>) user.get("log");
    }

    private static void assertPng(Path file) throws Exception {
        assertTrue(Files.size(file) > 1000, "screenshot written: " + file);
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), PNG_MAGIC.length);
        assertArrayEquals(PNG_MAGIC, head, "screenshot is a PNG");
    }

    @Test
    void twoBrowserUsersChatInOneRoom() throws Exception {
        ExternalTools.requireNode();
        ExternalTools.requireNodeModule("playwright-core");
        Path chromium = ExternalTools.requireChromium();
        Path screenshot = ExternalTools.repoRoot().resolve("gust-cli/target/e2e-chat.png");
        Files.deleteIfExists(screenshot);
        app = ChatDemo.create().listen("127.0.0.1", 0);

        Map<String, Object> r = NodeScript.run("chat-e2e.mjs", SCRIPT_TIMEOUT, app.port(), screenshot, chromium).requireSuccess();

        assertEquals("Gust chat", r.get("title"));
        Map<String, Object> alice = user(r, "alice"), bob = user(r, "bob");
        assertEquals("in #e2e as alice", alice.get("status"));
        assertEquals("in #e2e as bob", bob.get("status"));
        assertEquals(List.of("alice joined #e2e", "bob joined #e2e", "alice: hello bob", "bob: hi alice <b>not bold</b>"),
                log(alice), "alice's log: her own message comes back from the room, markup is shown as text");
        assertEquals(List.of("bob joined #e2e", "alice: hello bob", "bob: hi alice <b>not bold</b>"), log(bob), "bob's log");
        assertEquals(List.of("alice", "bob"), alice.get("boldNames"), "only sender names are bold");
        assertEquals(Map.of("status", "in #other as bob", "sendEnabled", true, "aliceHeardIt", false), r.get("switched"),
                "after switching rooms bob talks in #other only");
        assertEquals(List.of(), r.get("errors"), "no page or console errors");
        assertPng(screenshot);
    }
}

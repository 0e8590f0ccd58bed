package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JFR event {@code dev.gust.AppStats}, recorded for real, carries the app's counters. */
@Timeout(60)
class StatsEventTest {

    @Test
    void aRecordingGetsTheAppCountersBytesOutAndFanOut() throws Exception {
        App app = Gust.app()
                .ws("/room", WebSocketBehavior.builder()
                        .open(ws -> ws.subscribe("room"))
                        .message((ws, m) -> {
                            ws.send("ok:" + m.text()); // a direct send
                        })
                        .build())
                .listen("127.0.0.1", 0);
        LinkedBlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        try (RecordingStream rs = new RecordingStream()) {
            JdkWsClient[] clients = new JdkWsClient[3];
            for (int i = 0; i < clients.length; i++) clients[i] = JdkWsClient.connect(app.port(), "/room");
            assertTrue(waitFor(() -> app.numSubscribers("room") == 3), "three subscribers");
            app.publish("room", "hello"); // 3 deliveries of 5 bytes
            app.publish("room", "world"); // 3 more
            for (JdkWsClient c : clients) {
                assertEquals("hello", c.nextText());
                assertEquals("world", c.nextText());
            }
            clients[0].ws.sendText("hi", true).join();
            assertEquals("ok:hi", clients[0].nextText());

            rs.enable("dev.gust.AppStats").withPeriod(Duration.ofMillis(100));
            rs.onEvent("dev.gust.AppStats", events::add);
            rs.startAsync();
            RecordedEvent e = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (e == null || e.getInt("port") != app.port()) {
                if (System.nanoTime() > deadline) fail("no dev.gust.AppStats event for the app");
                e = events.poll(1, TimeUnit.SECONDS);
            }
            assertEquals(3, e.getLong("httpConnections"));
            assertEquals(3, e.getLong("webSockets"));
            assertEquals(1, e.getLong("messagesIn"));
            assertEquals(2, e.getLong("bytesIn"));
            assertEquals(1, e.getLong("messagesOut"));
            assertEquals(2, e.getLong("published"));
            assertEquals(6, e.getLong("deliveries"));
            assertEquals(3.0, e.getDouble("fanOut"), 1e-9);
            assertEquals(6 * 5 + "ok:hi".length(), e.getLong("bytesOut"), "payload bytes of 6 deliveries and 1 send");
            assertEquals(0, e.getLong("dropped"));
            assertTrue(e.getLong("loopIterations") > 0);
            assertTrue(e.getLong("loopBusyNanos") > 0);
            long longest = e.getLong("loopLongestIterationNanos");
            assertTrue(longest > 0 && longest <= e.getLong("loopBusyNanos"), "longest pass " + longest);
            assertFalse(e.getBoolean("clustered"));
            assertEquals(0, e.getLong("relayed") + e.getLong("unrelayed") + e.getLong("relayDropped")
                    + e.getLong("relaySkipped") + e.getLong("receivedFromNodes"));
        } finally {
            app.close();
        }
    }

    @Test
    void bytesOutAndFanOutSumOverTheLoopsOfAnAppOnManyLoops() throws Exception {
        App app = Gust.app(2).ws("/t", WebSocketBehavior.builder().open(ws -> ws.subscribe("t")).build()).listen("127.0.0.1", 0);
        try {
            java.util.List<JdkWsClient> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) clients.add(JdkWsClient.connect(app.port(), "/t"));
            assertTrue(waitFor(() -> app.numSubscribers("t") == 6));
            app.publish("t", "abc");
            for (JdkWsClient c : clients) assertEquals("abc", c.nextText());
            AppStats s = app.stats();
            assertEquals(18, s.bytesOut(), s.toString());
            assertEquals(6.0, s.fanOut(), 1e-9, s.toString());
            assertEquals(0, s.messagesOut(), "deliveries are not direct sends");
        } finally {
            app.close();
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }
}

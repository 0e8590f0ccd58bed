package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo and fan-out hot paths allocate nothing per message in steady state: measured on the loop
 * thread with the JVM's per-thread allocation counter while a real client sends thousands of frames.
 */
@Timeout(60)
class EchoAllocationTest {
    // Enough warm-up for C2 to compile the whole path on a busy 2-core machine: interpreted or C1 code
    // allocates what escape analysis later removes (io_uring measured 36 B/publish after 20,000).
    private static final int WARMUP = 60_000, MEASURED = 20_000, BATCH = 100;

    private static long allocatedBy(long threadId) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
    }

    /** Sends {@code count} 32-byte text frames in batches and reads back {@code count * echoesPerMessage} frames. */
    private static void pump(RawWs c, int count, int echoesPerMessage) throws Exception {
        byte[] payload = "0123456789abcdef0123456789abcdef".getBytes();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < count; i += BATCH) {
            batch.reset();
            for (int j = 0; j < BATCH; j++) batch.writeBytes(RawWs.frame(0x81, payload, true));
            c.raw(batch.toByteArray());
            for (int j = 0; j < BATCH * echoesPerMessage; j++) {
                RawWs.Frame f = c.readFrame();
                assertEquals(32, f.payload().length);
            }
        }
    }

    private static double bytesPerMessage(App app, RawWs client, int echoesPerMessage) throws Exception {
        long loopThread = app.loop().submit(() -> Thread.currentThread().threadId()).get(5, TimeUnit.SECONDS);
        pump(client, WARMUP, echoesPerMessage);   // JIT, buffers, pools
        long before = allocatedBy(loopThread);
        pump(client, MEASURED, echoesPerMessage);
        long after = allocatedBy(loopThread);
        return (after - before) / (double) MEASURED;
    }

    /** Sends one batch once the subscriber has fewer than 10 batches to catch up on. */
    private static void publishPaced(RawWs publisher, byte[] frames, int sent,
                                     java.util.concurrent.atomic.AtomicInteger delivered) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sent - delivered.get() > 10 * BATCH) {
            if (System.nanoTime() > deadline) fail("the subscriber got " + delivered.get() + " of " + sent + " frames");
            Thread.onSpinWait();
        }
        publisher.raw(frames);
    }

    @Test
    void echoAllocatesNothingPerMessage() throws Exception {
        App app = Gust.app().ws("/*", WebSocketBehavior.builder().message((ws, m) -> ws.send(m)).build())
                .listen("127.0.0.1", 0);
        try (RawWs c = RawWs.connect(app.port(), "/")) {
            double perMessage = bytesPerMessage(app, c, 1);
            // A few bytes per message of slack for the loop's own rare bookkeeping (timer wheel ticks).
            assertTrue(perMessage < 8, "loop thread allocated " + perMessage + " B per echoed message");
        } finally {
            app.close();
        }
    }

    @Test
    void publishingAllocatesNothingPerPublish() throws Exception {
        App app = Gust.app().ws("/*", WebSocketBehavior.builder()
                .open(ws -> ws.subscribe("t"))
                .message((ws, m) -> ws.publish("t", m)).build()).listen("127.0.0.1", 0);
        try (RawWs publisher = RawWs.connect(app.port(), "/"); RawWs subscriber = RawWs.connect(app.port(), "/")) {
            // The publisher's frames are delivered to the subscriber (not to itself): read them there.
            java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < WARMUP + MEASURED; i++) {
                        subscriber.readFrame();
                        delivered.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long loopThread = app.loop().submit(() -> Thread.currentThread().threadId()).get(5, TimeUnit.SECONDS);
            byte[] payload = "0123456789abcdef0123456789abcdef".getBytes();
            // Sent in batches, like the echo test: one write per frame measured the loop's per-wakeup
            // cost on a loaded machine (1 to 33 B per publish from run to run), not the publish path.
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int j = 0; j < BATCH; j++) batch.writeBytes(RawWs.frame(0x81, payload, true));
            byte[] frames = batch.toByteArray();
            // At most a few batches ahead of the subscriber: this measures the publish path, not the
            // slow-subscriber policy (a faster server would otherwise outrun the reader past
            // maxBackpressure and drop, by design, what the reader then waits for).
            for (int i = 0; i < WARMUP; i += BATCH) publishPaced(publisher, frames, i, delivered);
            long before = allocatedBy(loopThread);
            for (int i = WARMUP; i < WARMUP + MEASURED; i += BATCH) publishPaced(publisher, frames, i, delivered);
            reader.join(30_000);
            long after = allocatedBy(loopThread);
            double perPublish = (after - before) / (double) MEASURED;
            // Framed once per publish into the loop's reused buffer; a few bytes of slack for rare bookkeeping.
            assertTrue(perPublish < 32, "loop thread allocated " + perPublish + " B per publish");
            System.out.printf("publish: %.1f B per publish on the loop thread%n", perPublish);
        } finally {
            app.close();
        }
    }
}

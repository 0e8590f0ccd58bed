package dev.gust.websocket;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared view of an app's subscriptions over its loops: counts, loop masks, backplane interest. */
@Timeout(30)
class AppTopicsTest {
    /** Records what the node asks of the backplane; optionally refuses. */
    static final class RecordingBackplane implements Backplane {
        final List<String> calls = new ArrayList<>();
        boolean refuse;

        @Override
        public void start(Sink sink) {}

        @Override
        public synchronized void subscribed(String topic) {
            calls.add("+" + topic);
            if (refuse) throw new IllegalStateException("backplane down");
        }

        @Override
        public synchronized void unsubscribed(String topic) {
            calls.add("-" + topic);
            if (refuse) throw new IllegalStateException("backplane down");
        }

        @Override
        public void publish(String topic, boolean text, ByteBuffer payload) {}

        @Override
        public void close() {}
    }

    @Test
    void theBackplaneHearsOfATopicOncePerNodeWhileAnyLoopHasSubscribers() {
        AppTopics topics = new AppTopics(3, false);
        RecordingBackplane b = new RecordingBackplane();
        topics.backplane = b;
        topics.subscribed("t", 0, true);
        topics.subscribed("t", 0, false);
        topics.subscribed("t", 2, true);
        assertEquals(List.of("+t"), b.calls);
        assertEquals(3, topics.numSubscribers("t"));
        assertEquals(0b100, topics.otherLoopsFor("t", 0), "loop 0 publishes: only loop 2 needs a copy");
        assertEquals(0b101, topics.otherLoopsFor("t", 1));
        topics.unsubscribed("t", 0, false);
        topics.unsubscribed("t", 0, true);
        assertEquals(List.of("+t"), b.calls, "loop 2 still has a subscriber");
        assertEquals(0, topics.otherLoopsFor("t", 2), "no other loop wants it");
        topics.unsubscribed("t", 2, true);
        assertEquals(List.of("+t", "-t"), b.calls);
        assertEquals(0, topics.numSubscribers("t"));
        assertEquals(0, topics.otherLoopsFor("t", 0));
    }

    @Test
    void wildcardTopicsReachEveryLoop() {
        AppTopics topics = new AppTopics(2, true);
        assertEquals(-1L, topics.otherLoopsFor("a/b", 0), "a filter elsewhere may match: send to all");
    }

    @Test
    void aRefusingBackplaneLeavesTheCountsRight() {
        AppTopics topics = new AppTopics(2, false);
        RecordingBackplane b = new RecordingBackplane();
        b.refuse = true;
        topics.backplane = b;
        topics.subscribed("t", 0, true);
        topics.subscribed("t", 1, true);
        assertEquals(2, topics.numSubscribers("t"));
        assertEquals(0b10, topics.otherLoopsFor("t", 0));
        topics.unsubscribed("t", 0, true);
        topics.unsubscribed("t", 1, true);
        assertEquals(0, topics.numSubscribers("t"));
        assertEquals(List.of("+t", "-t"), b.calls);
    }

    @Test
    void concurrentSubscribesFromManyLoopsCountExactlyAndTheBackplaneEndsConsistent() throws Exception {
        int loops = 4, rounds = 2000;
        AppTopics topics = new AppTopics(loops, false);
        RecordingBackplane b = new RecordingBackplane();
        topics.backplane = b;
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < loops; l++) {
            int loop = l;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < rounds; i++) {
                    topics.subscribed("hot", loop, true);   // each loop flips between one and no subscriber
                    topics.unsubscribed("hot", loop, true);
                }
                topics.subscribed("hot", loop, true);
            }));
        }
        for (Thread t : threads) t.join(20_000);
        assertEquals(loops, topics.numSubscribers("hot"));
        assertEquals(0b1110, topics.otherLoopsFor("hot", 0), "every other loop has its subscriber back");
        // SUBSCRIBE and UNSUBSCRIBE alternate, starting and ending with SUBSCRIBE: Redis ends subscribed.
        synchronized (b) {
            for (int i = 0; i < b.calls.size(); i++) assertEquals(i % 2 == 0 ? "+hot" : "-hot", b.calls.get(i), "call " + i);
            assertEquals("+hot", b.calls.getLast());
        }
    }
}

package dev.gust.channels;

import static dev.gust.channels.Routines.go;
import static dev.gust.channels.Select.select;
import static dev.gust.channels.Select.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples of the docs (package Javadoc, README snippet) compile and do what they say. */
@Timeout(20)
class ExamplesTest {

    @Test
    void pipeline() throws Exception {
        List<String> out = new ArrayList<>();
        var jobs = Channel.<String>bounded(16);
        var results = Channel.<String>unbounded();
        go(() -> { for (var j : jobs) results.send(j.toUpperCase()); results.close(); });
        go(() -> { jobs.send("a"); jobs.send("b"); jobs.close(); });
        for (var r : results) out.add(r);
        assertEquals(List.of("A", "B"), out);
    }

    @Test
    void selectWithTimeout() throws Exception {
        List<String> out = new ArrayList<>();
        var in = Channel.<String>rendezvous();
        int chosen = select(in.onReceive(out::add), timeout(Duration.ofMillis(5), () -> out.add("idle")));
        assertEquals(1, chosen);
        assertEquals(List.of("idle"), out);
        go(() -> in.send("hi"));
        chosen = select(in.onReceive(out::add), timeout(Duration.ofSeconds(10), () -> out.add("idle")));
        assertEquals(0, chosen);
        assertEquals(List.of("idle", "hi"), out);
    }

    @Test
    void workerPoolWithScope() throws Exception {
        var jobs = Channel.<Integer>bounded(8);
        var sums = Channel.<Integer>unbounded();
        try (var scope = Routines.scope("workers")) {
            for (int w = 0; w < 4; w++) {
                scope.go(() -> {
                    int sum = 0;
                    for (int j : jobs) sum += j;
                    sums.send(sum);
                });
            }
            for (int i = 1; i <= 100; i++) jobs.send(i);
            jobs.close();
        }
        int total = 0;
        for (Integer s; (s = sums.tryReceive()) != null; ) total += s;
        assertEquals(5050, total);
    }
}

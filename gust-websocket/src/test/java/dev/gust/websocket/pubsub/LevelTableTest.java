package dev.gust.websocket.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LevelTableTest {

    @Test
    void agreesWithHashMapUnderRandomPutRemoveAndRangeLookups() {
        var random = new Random(8);
        LevelTable<Integer> table = new LevelTable<>();
        Map<String, Integer> model = new HashMap<>();
        for (int op = 0; op < 100_000; op++) {
            String key = "k" + random.nextInt(300);
            switch (random.nextInt(3)) {
                case 0 -> {
                    table.put(key, op);
                    model.put(key, op);
                }
                case 1 -> {
                    table.remove(key);
                    model.remove(key);
                }
                default -> {
                    String haystack = "x/" + key + "/y"; // look the key up as a range of a larger string
                    assertEquals(model.get(key), table.get(haystack, 2, 2 + key.length()), key);
                }
            }
            assertEquals(model.size(), table.size());
        }
        for (var e : model.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey(), 0, e.getKey().length()));
        }
    }
}

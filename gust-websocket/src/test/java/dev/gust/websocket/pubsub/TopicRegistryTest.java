package dev.gust.websocket.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TopicRegistryTest {

    /** A subscriber with identity semantics, like a socket object. */
    static final class Sock {
        final String name;
        final List<String> received = new ArrayList<>();

        Sock(String name) {
            this.name = name;
        }

        @Override public String toString() {
            return name;
        }
    }

    private static List<Sock> socks(int n) {
        List<Sock> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Sock("s" + i));
        }
        return list;
    }

    private static int publish(TopicRegistry<Sock> r, String topic, String msg, Sock exclude) {
        return r.publish(topic, msg, exclude, (s, m) -> s.received.add(m));
    }

    // ------------------------------------------------------------------ exact topics

    @Test
    void subscribeUnsubscribeAndQueries() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        Sock a = new Sock("a");
        Sock b = new Sock("b");
        assertTrue(r.subscribe(a, "room/1"));
        assertFalse(r.subscribe(a, "room/1"), "already subscribed");
        assertTrue(r.subscribe(a, "room/2"));
        assertTrue(r.subscribe(b, "room/1"));
        assertTrue(r.isSubscribed(a, "room/2"));
        assertFalse(r.isSubscribed(b, "room/2"));
        assertEquals(2, r.numSubscribers("room/1"));
        assertEquals(0, r.numSubscribers("nobody"));
        assertEquals(2, r.numTopics());
        assertEquals(Set.of("room/1", "room/2"), new HashSet<>(r.topicsOf(a)));
        assertEquals(List.of(), r.topicsOf(new Sock("stranger")));
        assertTrue(r.unsubscribe(a, "room/1"));
        assertFalse(r.unsubscribe(a, "room/1"));
        assertFalse(r.unsubscribe(b, "room/2"));
        assertEquals(1, r.numSubscribers("room/1"));
        assertEquals(2, r.numSubscribersTotal());
    }

    @Test
    void publishReachesEverySubscriberButTheExcludedOne() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        List<Sock> all = socks(5);
        all.forEach(s -> r.subscribe(s, "t"));
        assertEquals(4, publish(r, "t", "m1", all.get(2)));
        assertEquals(5, publish(r, "t", "m2", null));
        assertEquals(0, publish(r, "other", "m3", null));
        for (int i = 0; i < 5; i++) {
            assertEquals(i == 2 ? List.of("m2") : List.of("m1", "m2"), all.get(i).received, "socket " + i);
        }
    }

    @Test
    void unsubscribeAllLeavesNoTraceAndDropsEmptyTopics() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        Sock a = new Sock("a");
        Sock b = new Sock("b");
        for (int i = 0; i < 100; i++) {
            r.subscribe(a, "t" + i); // past the per-subscriber index threshold
        }
        r.subscribe(b, "t5");
        assertEquals(100, r.unsubscribeAll(a));
        assertEquals(0, r.unsubscribeAll(a));
        assertEquals(1, r.numTopics());
        assertEquals(List.of("t5"), r.topicsOf(b));
        assertFalse(r.isSubscribed(a, "t5"));
        assertEquals(1, publish(r, "t5", "x", null));
        r.unsubscribeAll(b);
        assertEquals(0, r.numTopics());
        assertEquals(0, r.numSubscribersTotal());
    }

    @Test
    void manySubscribersAndTopicsStayConsistent() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        List<Sock> all = socks(5000);
        for (int i = 0; i < all.size(); i++) {
            for (int t = 0; t < 10; t++) {
                r.subscribe(all.get(i), "topic" + ((i + t) % 200));
            }
        }
        assertEquals(200, r.numTopics());
        assertEquals(250, r.numSubscribers("topic7"));
        for (int i = 0; i < all.size(); i += 2) {
            r.unsubscribeAll(all.get(i));
        }
        assertEquals(125, r.numSubscribers("topic7"));
        assertEquals(125, publish(r, "topic7", "x", null));
        int received = 0;
        for (int i = 0; i < all.size(); i++) {
            received += all.get(i).received.size();
            if (i % 2 == 0) {
                assertTrue(all.get(i).received.isEmpty());
            }
        }
        assertEquals(125, received);
    }

    // ------------------------------------------------------------------ mutation during publish

    @Test
    void subscriberThatClosesItselfDuringDeliveryAtEveryPosition() {
        for (int closer = 0; closer < 10; closer++) {
            TopicRegistry<Sock> r = TopicRegistry.exactTopics();
            List<Sock> all = socks(10);
            all.forEach(s -> r.subscribe(s, "t"));
            Sock closing = all.get(closer);
            int n = r.publish("t", "m", null, (s, m) -> {
                s.received.add(m);
                if (s == closing) {
                    r.unsubscribeAll(s);
                }
            });
            assertEquals(10, n, "closer " + closer);
            all.forEach(s -> assertEquals(List.of("m"), s.received, "everyone exactly once"));
            assertEquals(9, r.numSubscribers("t"));
            assertEquals(9, publish(r, "t", "again", null));
            assertEquals(List.of("m"), closing.received);
        }
    }

    @Test
    void subscribersRemovedBeforeTheirTurnAreSkippedAndNewOnesWaitForTheNextMessage() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        List<Sock> all = socks(6);
        all.forEach(s -> r.subscribe(s, "t"));
        Sock newcomer = new Sock("new");
        List<Sock> order = new ArrayList<>();
        int n = r.publish("t", "m", null, (s, m) -> {
            order.add(s);
            if (order.size() == 1) {
                all.forEach(other -> { if (other != s) r.unsubscribe(other, "t"); });
                r.subscribe(newcomer, "t");
            }
        });
        assertEquals(1, n);
        assertEquals(1, order.size());
        assertEquals(2, r.numSubscribers("t"));
        assertEquals(2, publish(r, "t", "next", null));
        assertEquals(List.of("next"), newcomer.received);
    }

    @Test
    void nestedPublishFromACallbackDeliversBothMessagesOnce() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        List<Sock> all = socks(4);
        all.forEach(s -> r.subscribe(s, "t"));
        boolean[] republished = {false};
        r.publish("t", "outer", null, (s, m) -> {
            s.received.add(m);
            if (!republished[0]) {
                republished[0] = true;
                publish(r, "t", "inner", null);
            }
        });
        all.forEach(s -> assertEquals(Set.of("outer", "inner"), new HashSet<>(s.received), s.name));
        all.forEach(s -> assertEquals(2, s.received.size()));
    }

    @Test
    void anExceptionFromDeliveryLeavesTheRegistryConsistent() {
        TopicRegistry<Sock> r = TopicRegistry.exactTopics();
        List<Sock> all = socks(3);
        all.forEach(s -> r.subscribe(s, "t"));
        assertThrows(IllegalStateException.class, () -> r.publish("t", "m", null, (s, m) -> {
            throw new IllegalStateException("boom");
        }));
        all.forEach(s -> assertTrue(r.unsubscribe(s, "t")));
        assertEquals(0, r.numTopics(), "not left pinned");
    }

    // ------------------------------------------------------------------ wildcards

    @Test
    void singleLevelAndMultiLevelWildcardsFollowMqtt() {
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        Sock plus = new Sock("plus");
        Sock rest = new Sock("rest");
        Sock all = new Sock("all");
        Sock twoLevels = new Sock("twoLevels");
        r.subscribe(plus, "a/+/c");
        r.subscribe(rest, "a/#");
        r.subscribe(all, "#");
        r.subscribe(twoLevels, "+/+");
        Map<String, Set<String>> expected = Map.of(
                "a/b/c", Set.of("plus", "rest", "all"),
                "a/b/c/d", Set.of("rest", "all"),
                "a/c", Set.of("rest", "all", "twoLevels"),
                "a", Set.of("rest", "all"),
                "/b", Set.of("all", "twoLevels"),
                "b/x/c", Set.of("all"),
                "", Set.of("all"));
        for (var e : expected.entrySet()) {
            Set<String> got = new TreeSet<>();
            r.publish(e.getKey(), "m", null, (s, m) -> assertTrue(got.add(s.name), "once: " + s.name));
            assertEquals(new TreeSet<>(e.getValue()), got, "topic '" + e.getKey() + "'");
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAndRespectExclude() {
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        Sock a = new Sock("a");
        Sock b = new Sock("b");
        for (String f : new String[] {"x/y", "x/+", "x/#", "#", "+/y"}) {
            r.subscribe(a, f);
            r.subscribe(b, f);
        }
        assertEquals(2, publish(r, "x/y", "m", null));
        assertEquals(1, publish(r, "x/y", "n", a));
        assertEquals(List.of("m"), a.received);
        assertEquals(List.of("m", "n"), b.received);
        r.subscribe(new Sock("c"), "x/+");
        assertEquals(2, r.numSubscribers("x/y"), "exact string count excludes wildcard matches");
        assertEquals(3, r.numSubscribers("x/+"));
    }

    @Test
    void removalByAnotherSubscriberDuringAMultiFilterPublishIsHonoured() {
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        Sock a = new Sock("a");
        Sock b = new Sock("b");
        r.subscribe(a, "q/+");
        r.subscribe(b, "q/#");
        r.subscribe(b, "q/1");
        int n = r.publish("q/1", "m", null, (s, m) -> {
            s.received.add(m);
            r.unsubscribeAll(s == a ? b : a); // whoever comes first removes the other
        });
        assertEquals(1, n);
        assertEquals(1, a.received.size() + b.received.size());
    }

    @Test
    void malformedFiltersAndWildcardPublishesAreRefused() {
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        Sock a = new Sock("a");
        for (String bad : new String[] {"a/#/b", "a+", "a/b#", "#a", "a/++"}) {
            assertThrows(IllegalArgumentException.class, () -> r.subscribe(a, bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> publish(r, "a/+", "m", null));
        assertThrows(IllegalArgumentException.class, () -> publish(r, "#", "m", null));
        TopicRegistry<Sock> plain = TopicRegistry.exactTopics();
        plain.subscribe(a, "a/+");
        assertEquals(1, publish(plain, "a/+", "m", null), "literal topic without wildcards");
        assertEquals(0, publish(plain, "a/b", "m", null));
    }

    @Test
    void emptiedFiltersArePrunedAndExactFastPathReturns() {
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        Sock a = new Sock("a");
        r.subscribe(a, "a/+/c/#");
        r.subscribe(a, "a/+/d");
        r.subscribe(a, "a/b");
        assertEquals(3, r.numTopics());
        assertTrue(r.isSubscribed(a, "a/+/d"));
        assertTrue(r.unsubscribe(a, "a/+/c/#"));
        assertEquals(1, publish(r, "a/x/d", "m", null));
        assertEquals(2, r.unsubscribeAll(a));
        assertEquals(0, r.numTopics());
    }

    // ------------------------------------------------------------------ model-based check

    /** MQTT matching written independently: split into levels and compare. */
    private static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    @Test
    void randomOperationsAgreeWithABruteForceModel() {
        String[] filters = {"a", "a/b", "a/b/c", "a/+", "a/+/c", "+/b", "+/+", "#", "a/#", "a/b/#", "b", "b/+", "+", "+/+/+"};
        String[] topics = {"a", "a/b", "a/b/c", "a/c", "b", "b/b", "c/b/c", "a/b/c/d", "x"};
        var random = new Random(11);
        TopicRegistry<Sock> r = TopicRegistry.withWildcards();
        List<Sock> all = socks(30);
        Map<Sock, Set<String>> model = new HashMap<>();
        for (int op = 0; op < 20_000; op++) {
            Sock s = all.get(random.nextInt(all.size()));
            String f = filters[random.nextInt(filters.length)];
            switch (random.nextInt(5)) {
                case 0, 1 -> assertEquals(model.computeIfAbsent(s, k -> new HashSet<>()).add(f), r.subscribe(s, f));
                case 2 -> assertEquals(model.getOrDefault(s, new HashSet<>()).remove(f), r.unsubscribe(s, f));
                case 3 -> {
                    if (random.nextInt(10) == 0) {
                        Set<String> had = model.remove(s);
                        assertEquals(had == null ? 0 : had.size(), r.unsubscribeAll(s));
                    } else {
                        assertEquals(model.getOrDefault(s, Set.of()).contains(f), r.isSubscribed(s, f));
                        assertEquals(model.getOrDefault(s, Set.of()), new HashSet<>(r.topicsOf(s)));
                    }
                }
                default -> {
                    String topic = topics[random.nextInt(topics.length)];
                    Sock exclude = random.nextBoolean() ? s : null;
                    Set<Sock> expected = new HashSet<>();
                    model.forEach((sock, fs) -> {
                        if (sock != exclude && fs.stream().anyMatch(x -> matches(x, topic))) {
                            expected.add(sock);
                        }
                    });
                    List<Sock> got = new ArrayList<>();
                    assertEquals(expected.size(), r.publish(topic, "m", exclude, (sock, m) -> got.add(sock)));
                    assertEquals(expected, new HashSet<>(got), "publish " + topic);
                    assertEquals(got.size(), new HashSet<>(got).size(), "no duplicates");
                    long subscribersOfF = model.values().stream().filter(fs -> fs.contains(f)).count();
                    assertEquals(subscribersOfF, r.numSubscribers(f));
                }
            }
        }
    }
}

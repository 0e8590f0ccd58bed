package dev.gust.conformance;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Verdict counts per group and overall, and the plain-text table {@code ./gust conformance} prints. */
public final class Summary {
    private final Map<Integer, Map<Verdict, Integer>> byGroup = new TreeMap<>();
    private final Map<Verdict, Integer> total = new EnumMap<>(Verdict.class);

    public Summary(List<CaseResult> results) {
        for (CaseResult r : results) {
            byGroup.computeIfAbsent(Integer.parseInt(r.group()), g -> new EnumMap<>(Verdict.class)).merge(r.verdict(), 1, Integer::sum);
            total.merge(r.verdict(), 1, Integer::sum);
        }
    }

    public int count(Verdict v) { return total.getOrDefault(v, 0); }
    public Map<Verdict, Integer> totals() { return total; }

    public static final Map<Integer, String> GROUP_TITLES = Map.ofEntries(
            Map.entry(1, "Framing"), Map.entry(2, "Pings/Pongs"), Map.entry(3, "Reserved Bits"), Map.entry(4, "Opcodes"),
            Map.entry(5, "Fragmentation"), Map.entry(6, "UTF-8 Handling"), Map.entry(7, "Close Handling"),
            Map.entry(9, "Limits/Performance"), Map.entry(10, "Misc (auto-fragmentation)"),
            Map.entry(12, "WebSocket Compression (different payloads)"),
            Map.entry(13, "WebSocket Compression (different parameters)"));

    public String table() {
        StringBuilder s = new StringBuilder();
        String fmt = "%-5s %-44s %5s %5s %10s %5s %13s %6s%n";
        s.append(String.format(fmt, "group", "", "cases", "OK", "NON-STRICT", "INFO", "UNIMPLEMENTED", "FAILED"));
        for (var e : byGroup.entrySet()) {
            Map<Verdict, Integer> m = e.getValue();
            s.append(String.format(fmt, e.getKey(), GROUP_TITLES.getOrDefault(e.getKey(), ""),
                    m.values().stream().mapToInt(Integer::intValue).sum(), m.getOrDefault(Verdict.OK, 0),
                    m.getOrDefault(Verdict.NON_STRICT, 0), m.getOrDefault(Verdict.INFORMATIONAL, 0),
                    m.getOrDefault(Verdict.UNIMPLEMENTED, 0), m.getOrDefault(Verdict.FAILED, 0)));
        }
        s.append(String.format(fmt, "all", "", total.values().stream().mapToInt(Integer::intValue).sum(), count(Verdict.OK),
                count(Verdict.NON_STRICT), count(Verdict.INFORMATIONAL), count(Verdict.UNIMPLEMENTED), count(Verdict.FAILED)));
        return s.toString();
    }
}

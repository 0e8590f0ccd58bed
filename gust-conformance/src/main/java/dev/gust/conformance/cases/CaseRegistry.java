package dev.gust.conformance.cases;

import dev.gust.conformance.TestCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** All cases, numbered as in Autobahn|Testsuite's fuzzingclient, and selection by patterns like {@code 1.*,6.4.*}. */
public final class CaseRegistry {
    private CaseRegistry() {}

    private static volatile List<TestCase> all;

    public static List<TestCase> all() {
        if (all == null) {
            List<TestCase> c = new ArrayList<>();
            c.addAll(Framing.cases());
            c.addAll(PingPong.cases());
            c.addAll(ReservedBits.cases());
            c.addAll(Opcodes.cases());
            c.addAll(Fragmentation.cases());
            c.addAll(Utf8Handling.cases());
            c.addAll(CloseHandling.cases());
            c.addAll(Limits.cases());
            c.addAll(AutoFragmentation.cases());
            c.addAll(Compression.group12());
            c.addAll(Compression.group13());
            c.sort(Comparator.comparing(TestCase::numbers, Arrays::compare));
            all = List.copyOf(c);
        }
        return all;
    }

    /**
     * Cases matching any of the comma-separated patterns ({@code *} matches anything, so {@code 6.4.*} is 6.4.1-6.4.4
     * and {@code 9.*} is group 9), minus those matching any of {@code exclude} (may be null).
     */
    public static List<TestCase> select(String include, String exclude) {
        List<Pattern> inc = patterns(include == null || include.isBlank() ? "*" : include);
        List<Pattern> exc = patterns(exclude == null ? "" : exclude);
        return all().stream()
                .filter(t -> inc.stream().anyMatch(p -> p.matcher(t.id()).matches()))
                .filter(t -> exc.stream().noneMatch(p -> p.matcher(t.id()).matches()))
                .toList();
    }

    private static List<Pattern> patterns(String spec) {
        List<Pattern> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            s = s.trim();
            if (s.isEmpty()) continue;
            StringBuilder re = new StringBuilder();
            for (char ch : s.toCharArray()) re.append(ch == '*' ? ".*" : Pattern.quote(String.valueOf(ch)));
            out.add(Pattern.compile(re.toString()));
        }
        return out;
    }
}

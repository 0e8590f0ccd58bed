package dev.gust.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks the checker: npm ws 8.23.0 passes Autobahn|Testsuite except where its server limits bite, so this suite must
 * agree with Autobahn on it, verdict by verdict.
 * <ul>
 *   <li>ws validates the UTF-8 of a message only once the message is complete: 6.4.1-6.4.4 are NON-STRICT.</li>
 *   <li>ws's server has {@code maxFragments} (default 16384; the check is {@code fragments > maxFragments}): the two
 *       cases with 65536 fragments (9.3.1, 9.4.1) are closed by the server with 1008 and FAIL; with the limit raised
 *       they pass.</li>
 *   <li>7.1.6 and 7.13.x are INFORMATIONAL for every server.</li>
 * </ul>
 * Needs node and {@code npm ci --prefix tools/node}; skipped otherwise.
 */
@Timeout(900)
class NpmWsConformanceTest {
    static final Set<String> NON_STRICT = Set.of("6.4.1", "6.4.2", "6.4.3", "6.4.4");
    static final Set<String> INFORMATIONAL = Set.of("7.1.6", "7.13.1", "7.13.2");
    static final Set<String> FAILED_WITH_DEFAULT_MAX_FRAGMENTS = Set.of("9.3.1", "9.4.1");

    @Test
    void allCasesAgainstNpmWsAgreeWithAutobahn() throws Exception {
        assumeReady();
        try (NodeWsServer ws = NodeWsServer.start()) {
            ConformanceRun.Outcome o = ConformanceRun.run(ws.uri(), "*", null, Path.of("target/conformance-reports/npm-ws"),
                    false, quiet());
            assertEquals(517, o.results().size(), "the suite has Autobahn's 517 cases");
            Map<Verdict, Set<String>> byVerdict = byVerdict(o.results());
            assertEquals(FAILED_WITH_DEFAULT_MAX_FRAGMENTS, byVerdict.get(Verdict.FAILED), details(o.results()));
            assertEquals(NON_STRICT, byVerdict.get(Verdict.NON_STRICT), details(o.results()));
            assertEquals(INFORMATIONAL, byVerdict.get(Verdict.INFORMATIONAL), details(o.results()));
            assertEquals(Set.of(), byVerdict.get(Verdict.UNIMPLEMENTED));
            assertEquals(517 - 2 - 4 - 3, byVerdict.get(Verdict.OK).size());
        }
    }

    @Test
    void withMaxFragmentsRaisedNpmWsPassesGroup9() throws Exception {
        assumeReady();
        try (NodeWsServer ws = NodeWsServer.start("--max-fragments", String.valueOf(1 << 20))) {
            ConformanceRun.Outcome o = ConformanceRun.run(ws.uri(), "9.3.*,9.4.*", null, null, false, quiet());
            Map<Verdict, Set<String>> byVerdict = byVerdict(o.results());
            assertEquals(18, byVerdict.get(Verdict.OK).size(), details(o.results()));
        }
    }

    private static void assumeReady() {
        // Missing tools fail (never skip): the check of the checker must run wherever the suite runs.
        org.junit.jupiter.api.Assertions.assertNotNull(NodeWsServer.script(),
                "tools/node/ws-echo-server.mjs with node_modules is required: run .ci/run or npm ci --prefix tools/node");
        org.junit.jupiter.api.Assertions.assertTrue(NodeWsServer.nodeAvailable(), "node is required on the PATH: run .ci/run");
    }

    static Map<Verdict, Set<String>> byVerdict(List<CaseResult> results) {
        Map<Verdict, Set<String>> m = new TreeMap<>();
        for (Verdict v : Verdict.values()) m.put(v, new TreeSet<>());
        for (CaseResult r : results) m.get(r.verdict()).add(r.id());
        return m;
    }

    static String details(List<CaseResult> results) {
        StringBuilder s = new StringBuilder("cases that are not OK:\n");
        for (CaseResult r : results) {
            if (r.verdict() != Verdict.OK) s.append(r.id()).append(' ').append(r.verdict().label).append(": ")
                    .append(r.result()).append(" / ").append(r.resultClose()).append('\n');
        }
        return s.toString();
    }

    private static PrintStream quiet() { return System.out; }
}

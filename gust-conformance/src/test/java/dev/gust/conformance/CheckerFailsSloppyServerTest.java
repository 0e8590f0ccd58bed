package dev.gust.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The suite must fail a server that skips validation, exactly where Autobahn does, and pass it where it behaves. */
@Timeout(120)
class CheckerFailsSloppyServerTest {
    @Test
    void failsWhatASloppyServerGetsWrongAndPassesWhatItGetsRight() throws Exception {
        try (NaiveEchoServer server = new NaiveEchoServer()) {
            ConformanceRun.Outcome o = ConformanceRun.run(server.uri(),
                    "1.1.1,1.2.6,2.1,2.5,3.1,4.1.1,6.2.3,6.3.1,6.4.1,6.12.1,7.1.1,7.3.2,7.7.2,7.9.1,9.7.1,12.1.1", null, null, false,
                    System.out);
            Map<Verdict, Set<String>> v = NpmWsConformanceTest.byVerdict(o.results());
            assertEquals(Set.of("1.1.1", "1.2.6", "2.1", "6.2.3", "7.1.1", "7.7.2", "9.7.1"), v.get(Verdict.OK), NpmWsConformanceTest.details(o.results()));
            assertEquals(Set.of("2.5", "3.1", "4.1.1", "6.3.1", "6.4.1", "6.12.1", "7.3.2", "7.9.1"), v.get(Verdict.FAILED),
                    NpmWsConformanceTest.details(o.results()));
            assertEquals(Set.of("12.1.1"), v.get(Verdict.UNIMPLEMENTED));
        }
    }

    @Test
    void aServerThatDoesNotDropTcpAfterTheClosingHandshakeFails() throws Exception {
        try (NaiveEchoServer server = new NaiveEchoServer(true)) {
            ConformanceRun.Outcome o = ConformanceRun.run(server.uri(), "1.1.1,7.3.3", null, null, false, System.out);
            for (CaseResult r : o.results()) {
                assertEquals(Verdict.FAILED, r.verdict(), r.id());
                assertEquals(CloseBehavior.UNCLEAN, r.behaviorClose(), r.id());
                // Which side gives up first depends on timing; either way the close is unclean and says why.
                org.junit.jupiter.api.Assertions.assertTrue(r.resultClose().contains("did not drop the TCP connection")
                        || r.resultClose().contains("the client dropped the TCP connection"), r.resultClose());
            }
        }
    }
}

package dev.gust.conformance;

import dev.gust.conformance.cases.CaseRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** One run as the CLI does it: select cases, run them with progress output, print the table, write the reports. */
public final class ConformanceRun {
    private ConformanceRun() {}

    public record Outcome(List<CaseResult> results, Summary summary, long durationMs, Path json, Path html) {
        public boolean passed() { return results.stream().noneMatch(r -> r.verdict().isFailure()); }
    }

    public static Outcome run(URI server, String include, String exclude, Path reportDir, boolean fullTimeouts,
                              PrintStream out) throws IOException {
        List<TestCase> cases = CaseRegistry.select(include, exclude);
        out.println("conformance: " + cases.size() + " cases against " + server);
        long start = System.nanoTime();
        List<CaseResult> results = new ConformanceSuite(server, fullTimeouts).onResult(r -> {
            if (r.verdict() != Verdict.OK) {
                out.println("  " + r.id() + " " + r.verdict().label + ": " + r.result() + " / " + r.resultClose());
            }
        }).run(cases);
        long ms = (System.nanoTime() - start) / 1_000_000;
        Summary summary = new Summary(results);
        out.print(summary.table());
        Path json = null, html = null;
        if (reportDir != null) {
            json = JsonReport.write(reportDir, server.toString(), results, ms);
            html = HtmlReport.write(reportDir, server.toString(), results, ms);
            out.println("reports: " + json + " and " + html);
        }
        out.printf("conformance: %d cases in %.1f s%n", results.size(), ms / 1000.0);
        return new Outcome(results, summary, ms, json, html);
    }
}

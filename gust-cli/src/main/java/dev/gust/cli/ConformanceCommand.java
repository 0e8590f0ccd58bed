package dev.gust.cli;

import dev.gust.conformance.ConformanceRun;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./gust conformance ws://HOST:PORT}: the Autobahn|Testsuite fuzzingclient cases, from gust-conformance. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Run the WebSocket conformance suite (Autobahn|Testsuite fuzzingclient cases 1-13) against a server",
            "that echoes every message. Prints a summary per group and writes index.json and index.html.",
            "Exit code 1 if any case is FAILED or UNIMPLEMENTED."})
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Server URL, e.g. ws://127.0.0.1:9001")
    URI server;

    @Option(names = "--cases", description = "Comma-separated case patterns, e.g. 1.*,6.4.* (default: all)", defaultValue = "*")
    String cases;

    @Option(names = "--exclude", description = "Comma-separated case patterns to skip, e.g. 12.*,13.*")
    String exclude;

    @Option(names = "--report", description = "Directory for index.json and index.html (default: ${DEFAULT-VALUE})",
            defaultValue = "reports/conformance")
    Path report;

    @Option(names = "--full-timeouts", description = "Wait Autobahn's full closeAfter delays instead of closing once the "
            + "expected events have arrived and the connection has been quiet for 200 ms (same verdicts, slower)")
    boolean fullTimeouts;

    @Override
    public Integer call() throws Exception {
        ConformanceRun.Outcome o = ConformanceRun.run(server, cases, exclude, report, fullTimeouts, System.out);
        return o.passed() ? 0 : 1;
    }
}

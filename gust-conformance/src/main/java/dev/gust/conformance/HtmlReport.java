package dev.gust.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code index.html}: the summary table, then one colour-coded row per case with its reasons. */
public final class HtmlReport {
    private HtmlReport() {}

    public static Path write(Path dir, String server, List<CaseResult> results, long durationMs) throws IOException {
        Files.createDirectories(dir);
        Summary summary = new Summary(results);
        StringBuilder s = new StringBuilder(8192 + results.size() * 400);
        s.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>WebSocket conformance: ").append(h(server))
                .append("</title><style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                        + "padding:3px 6px;vertical-align:top;text-align:left}.OK{background:#9f9}.NON-STRICT{background:#ff9}"
                        + ".INFORMATIONAL{background:#9cf}.UNIMPLEMENTED{background:#ddd}.FAILED{background:#f99}pre{margin:0}"
                        + "</style></head><body>\n<h1>WebSocket conformance (Autobahn|Testsuite fuzzingclient cases)</h1>\n<p>Server: <code>")
                .append(h(server)).append("</code> &middot; ").append(results.size()).append(" cases in ")
                .append(durationMs / 1000.0).append(" s &middot; ").append(java.time.Instant.now()).append("</p>\n<pre>")
                .append(h(summary.table())).append("</pre>\n<table><tr><th>case</th><th>verdict</th><th>close</th><th>ms</th>"
                        + "<th>description / expectation</th><th>result</th></tr>\n");
        String group = "";
        for (CaseResult r : results) {
            if (!r.group().equals(group)) {
                group = r.group();
                s.append("<tr><th colspan=\"6\">").append(group).append(' ')
                        .append(h(Summary.GROUP_TITLES.getOrDefault(Integer.parseInt(group), ""))).append("</th></tr>\n");
            }
            s.append("<tr id=\"case-").append(r.id()).append("\"><td>").append(r.id()).append("</td><td class=\"")
                    .append(r.verdict().label).append("\">").append(r.verdict().label).append("</td><td>")
                    .append(r.behaviorClose()).append(r.remoteCloseCode() == null ? "" : " (" + r.remoteCloseCode() + ")")
                    .append("</td><td>").append(r.durationMs()).append("</td><td>").append(h(r.description())).append("<br><i>")
                    .append(h(r.expectation())).append("</i></td><td>").append(h(r.result())).append("<br>")
                    .append(h(r.resultClose())).append("<br><small>").append(h(String.join(", ", r.events())))
                    .append("</small></td></tr>\n");
        }
        s.append("</table></body></html>\n");
        Path file = dir.resolve("index.html");
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    private static String h(String v) {
        return v == null ? "" : v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

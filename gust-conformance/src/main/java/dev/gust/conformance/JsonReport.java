package dev.gust.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code index.json}: the server, the time, counts, and per case the verdicts and the reasons (no JSON library). */
public final class JsonReport {
    private JsonReport() {}

    public static Path write(Path dir, String server, List<CaseResult> results, long durationMs) throws IOException {
        Files.createDirectories(dir);
        Summary summary = new Summary(results);
        StringBuilder s = new StringBuilder(4096 + results.size() * 600);
        s.append("{\n  \"server\": ").append(q(server))
                .append(",\n  \"generated\": ").append(q(java.time.Instant.now().toString()))
                .append(",\n  \"durationMs\": ").append(durationMs)
                .append(",\n  \"counts\": {");
        boolean first = true;
        for (Verdict v : Verdict.values()) {
            s.append(first ? "" : ", ").append(q(v.label)).append(": ").append(summary.count(v));
            first = false;
        }
        s.append("},\n  \"cases\": [\n");
        for (int i = 0; i < results.size(); i++) {
            CaseResult r = results.get(i);
            s.append("    {\"id\": ").append(q(r.id()))
                    .append(", \"verdict\": ").append(q(r.verdict().label))
                    .append(", \"behavior\": ").append(q(r.behavior().label))
                    .append(", \"behaviorClose\": ").append(q(r.behaviorClose().name()))
                    .append(", \"durationMs\": ").append(r.durationMs())
                    .append(",\n     \"description\": ").append(q(r.description()))
                    .append(",\n     \"expectation\": ").append(q(r.expectation()))
                    .append(",\n     \"result\": ").append(q(r.result()))
                    .append(", \"resultClose\": ").append(q(r.resultClose()))
                    .append(",\n     \"remoteCloseCode\": ").append(r.remoteCloseCode())
                    .append(", \"closedByMe\": ").append(r.closedByMe())
                    .append(", \"droppedByMe\": ").append(r.droppedByMe())
                    .append(", \"wasClean\": ").append(r.wasClean())
                    .append(", \"wasNotCleanReason\": ").append(r.notCleanReason() == null ? "null" : q(r.notCleanReason()))
                    .append(", \"extensions\": ").append(r.extensions() == null ? "null" : q(r.extensions()))
                    .append(",\n     \"events\": [");
            for (int k = 0; k < r.events().size(); k++) s.append(k == 0 ? "" : ", ").append(q(r.events().get(k)));
            s.append("]}").append(i < results.size() - 1 ? ",\n" : "\n");
        }
        s.append("  ]\n}\n");
        Path file = dir.resolve("index.json");
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    static String q(String v) {
        if (v == null) return "null";
        StringBuilder s = new StringBuilder(v.length() + 2).append('"');
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        return s.append('"').toString();
    }
}

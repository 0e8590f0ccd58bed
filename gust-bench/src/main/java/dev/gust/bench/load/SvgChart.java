package dev.gust.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the matrix as an SVG bar chart: one group per workload, one bar per server, each bar the
 * server's figure relative to Gust's in that workload (per server-CPU-second for rates, inverted for
 * lower-is-better figures such as latency and memory), so a bar longer than Gust's means a peer ahead.
 */
final class SvgChart {
    private SvgChart() {}

    static String render(List<Matrix.Row> rows, String title) {
        Map<String, List<Matrix.Row>> byWorkload = new LinkedHashMap<>();
        for (Matrix.Row r : rows) if (r.ok()) byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
        int barHeight = 16, gap = 4, groupGap = 18, left = 190, width = 760, chartWidth = width - left - 80;
        int height = 50;
        for (List<Matrix.Row> g : byWorkload.values()) height += g.size() * (barHeight + gap) + groupGap + 16;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", escape(title)));
        int y = 44;
        for (Map.Entry<String, List<Matrix.Row>> e : byWorkload.entrySet()) {
            List<Matrix.Row> group = e.getValue();
            double gust = score(find(group, "gust"));
            if (Double.isNaN(gust)) gust = score(find(group, "gust-loop"));
            double max = 0;
            for (Matrix.Row r : group) max = Math.max(max, score(r));
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y + 10, escape(e.getKey())));
            y += 16;
            for (Matrix.Row r : group) {
                double s = score(r);
                int w = max > 0 ? (int) Math.round(chartWidth * s / max) : 0;
                boolean isGust = r.server().startsWith("gust");
                String ratio = Double.isNaN(gust) || gust == 0 || Double.isNaN(s) ? "" : String.format(Locale.ROOT, "%.2f× Gust", s / gust);
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 8, y + 12, escape(r.server())));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                        left, y, Math.max(w, 1), barHeight, isGust ? "#13315c" : "#9aa5b1"));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left + Math.max(w, 1) + 6, y + 12,
                        isGust ? "Gust" : ratio));
                y += barHeight + gap;
            }
            y += groupGap;
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"10\" y=\"%d\" fill=\"#555\">bars: rate per server CPU-second (latency, memory: inverted); longer is better</text>%n",
                height - 8));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Higher is better: rate per server-CPU-second, or 1/value for lower-is-better figures. */
    private static double score(Matrix.Row r) {
        if (r == null || !r.ok()) return Double.NaN;
        if (r.lowerBetter()) return r.value() > 0 ? 1.0 / r.value() : Double.NaN;
        double perCpu = r.perCpu();
        return Double.isNaN(perCpu) ? r.value() : perCpu;
    }

    private static Matrix.Row find(List<Matrix.Row> group, String server) {
        for (Matrix.Row r : group) if (r.server().equals(server)) return r;
        return null;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

package dev.logitscope.cli;

import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.SeedAggregate;
import dev.logitscope.eval.Spread;
import dev.logitscope.plot.Numbers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console summary, in the spirit of the inverse-scaling tables: one row per model, its
 * final-layer accuracy in each demonstration setting (mean over seeds, ± std when several), the
 * worst model of each column starred, and its throughput.
 */
final class EvalTable {

    private EvalTable() {}

    static void print(PrintWriter out, EvalSummary summary) {
        List<String> settings = new ArrayList<>();
        Map<String, Map<String, SeedAggregate>> byModel = new LinkedHashMap<>();
        for (SeedAggregate a : summary.aggregates()) {
            if (!settings.contains(a.setting())) {
                settings.add(a.setting());
            }
            byModel.computeIfAbsent(a.model(), m -> new LinkedHashMap<>()).put(a.setting(), a);
        }
        if (byModel.isEmpty()) {
            out.println("no results yet");
            return;
        }
        Map<String, String> worst = new LinkedHashMap<>();
        for (String s : settings) {
            String worstModel = null;
            double lowest = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, Map<String, SeedAggregate>> e : byModel.entrySet()) {
                SeedAggregate a = e.getValue().get(s);
                if (a != null && a.finalAccuracy().mean() < lowest) {
                    lowest = a.finalAccuracy().mean();
                    worstModel = e.getKey();
                }
            }
            worst.put(s, byModel.size() > 1 ? worstModel : null);
        }
        int nameWidth = Math.max(5, byModel.keySet().stream().mapToInt(String::length).max().orElse(5));
        nameWidth = Math.min(nameWidth, 40);
        int seeds = summary.aggregates().stream().mapToInt(a -> a.seeds().size()).max().orElse(1);
        String method = summary.aggregates().get(0).method().key();
        out.printf(Locale.ROOT, "final-layer accuracy (%s%s)%s%n", method,
                seeds > 1 ? ", mean ± std over " + seeds + " seeds" : "", summary.complete() ? "" : "  [partial run]");
        int col = seeds > 1 ? 15 : 10;
        StringBuilder header = new StringBuilder(pad("model", nameWidth)).append(String.format(Locale.ROOT, " %8s", "params"));
        for (String s : settings) {
            header.append(String.format(Locale.ROOT, " %" + col + "s", s));
        }
        header.append(String.format(Locale.ROOT, " %8s", "ex/s"));
        out.println(header);
        Map<String, ModelStats> stats = new LinkedHashMap<>();
        summary.models().forEach(m -> stats.put(m.name(), m));
        for (Map.Entry<String, Map<String, SeedAggregate>> e : byModel.entrySet()) {
            ModelStats m = stats.get(e.getKey());
            StringBuilder row = new StringBuilder(pad(e.getKey(), nameWidth));
            row.append(String.format(Locale.ROOT, " %8s", m == null ? "?" : Numbers.parameters(m.parameters())));
            for (String s : settings) {
                SeedAggregate a = e.getValue().get(s);
                String cell = a == null ? "-" : cell(a.finalAccuracy(), seeds > 1)
                        + (e.getKey().equals(worst.get(s)) ? "*" : " ");
                row.append(String.format(Locale.ROOT, " %" + col + "s", cell));
            }
            row.append(String.format(Locale.ROOT, " %8s", m == null || Double.isNaN(m.examplesPerSecond()) ? "-"
                    : String.format(Locale.ROOT, "%.2f", m.examplesPerSecond())));
            out.println(row);
        }
        if (byModel.size() > 1) {
            out.println("* the worst model in the column");
        }
    }

    private static String cell(Spread s, boolean withStd) {
        return withStd ? String.format(Locale.ROOT, "%.3f±%.3f", s.mean(), s.std()) : String.format(Locale.ROOT, "%.3f", s.mean());
    }

    private static String pad(String text, int width) {
        String t = text.length() > width ? "…" + text.substring(text.length() - width + 1) : text;
        return String.format(Locale.ROOT, "%-" + width + "s", t);
    }
}

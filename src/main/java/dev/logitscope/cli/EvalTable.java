package dev.logitscope.cli;

import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.Aggregate;
import dev.logitscope.eval.SettlingLayer;
import dev.logitscope.eval.Spread;
import dev.logitscope.eval.Wilson;
import dev.logitscope.plot.Numbers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console summary, in the spirit of the inverse-scaling tables: one row per model, its
 * final-layer accuracy in each demonstration setting (mean over seeds, ± std when several) with its
 * 95% Wilson interval, the examples per condition, the worst model of each column starred, and its
 * throughput. With several templates each model has a row per template and a row with their mean
 * (± std over templates); the star compares the means. Below it, the critical layer of each
 * correct/flipped pair, or why there is none ("no reliable gap").
 */
final class EvalTable {

    private EvalTable() {}

    /** One printed row: a model under one template (or the mean over templates), by setting. */
    private record Line(String model, String template, boolean summary, Map<String, Spread> cells,
            Map<String, Integer> examples) {}

    static void print(PrintWriter out, EvalSummary summary) {
        List<String> settings = new ArrayList<>();
        summary.aggregates().forEach(a -> {
            if (!settings.contains(a.setting())) {
                settings.add(a.setting());
            }
        });
        List<Line> lines = lines(summary);
        if (lines.isEmpty()) {
            out.println("no results yet");
            return;
        }
        boolean several = !summary.templateMeans().isEmpty();
        List<String> models = lines.stream().map(Line::model).distinct().toList();
        Map<String, String> worst = new LinkedHashMap<>();
        for (String s : settings) {
            String worstModel = null;
            double lowest = Double.POSITIVE_INFINITY;
            boolean tied = false;
            for (Line line : lines) {
                Spread cell = line.cells().get(s);
                if (line.summary() && cell != null && cell.mean() < lowest) {
                    lowest = cell.mean();
                    worstModel = line.model();
                    tied = false;
                } else if (line.summary() && cell != null && cell.mean() == lowest) {
                    tied = true; // no single worst model, as the size chart rings none
                }
            }
            worst.put(s, models.size() > 1 && !tied ? worstModel : null);
        }
        int nameWidth = Math.min(40, Math.max(5, models.stream().mapToInt(String::length).max().orElse(5)));
        int templateWidth = lines.stream().mapToInt(l -> l.template().length()).max().orElse(8);
        int seeds = summary.aggregates().stream().mapToInt(a -> a.seeds().size()).max().orElse(1);
        int templates = summary.templateMeans().stream().mapToInt(m -> m.templates().size()).max().orElse(1);
        boolean withStd = seeds > 1 || several;
        String method = summary.aggregates().get(0).method().key();
        out.printf(Locale.ROOT, "final-layer accuracy (%s%s%s)%s%n", method,
                seeds > 1 ? ", mean ± std over " + seeds + " seeds" : "",
                several ? "; mean rows: mean ± std over " + templates + " templates" : "",
                summary.complete() ? "" : "  [partial run]");
        int col = Math.max(10, (withStd ? 12 : 6) + 14);
        StringBuilder header = new StringBuilder(pad("model", nameWidth));
        if (several) {
            header.append(' ').append(pad("template", templateWidth));
        }
        header.append(String.format(Locale.ROOT, " %8s %9s", "params", "n"));
        for (String s : settings) {
            header.append(String.format(Locale.ROOT, " %" + col + "s", s));
        }
        header.append(String.format(Locale.ROOT, " %8s", "ex/s"));
        out.println(header);
        Map<String, ModelStats> stats = new LinkedHashMap<>();
        summary.models().forEach(m -> stats.put(m.name(), m));
        for (Line line : lines) {
            ModelStats m = stats.get(line.model());
            StringBuilder row = new StringBuilder(pad(line.model(), nameWidth));
            if (several) {
                row.append(' ').append(pad(line.template(), templateWidth));
            }
            row.append(String.format(Locale.ROOT, " %8s %9s", m == null ? "?" : Numbers.parameters(m.parameters()),
                    examples(line)));
            for (String s : settings) {
                Spread a = line.cells().get(s);
                String cell = a == null ? "-" : cell(a, withStd && a.n() > 1, line.examples().get(s))
                        + (line.summary() && line.model().equals(worst.get(s)) ? "*" : " ");
                row.append(String.format(Locale.ROOT, " %" + col + "s", cell));
            }
            row.append(String.format(Locale.ROOT, " %8s", m == null || Double.isNaN(m.examplesPerSecond()) ? "-"
                    : String.format(Locale.ROOT, "%.2f", m.examplesPerSecond())));
            out.println(row);
        }
        if (models.size() > 1) {
            out.println(several ? "* the worst model in the column, by the mean over templates"
                    : "* the worst model in the column");
        }
        out.println("[lo,hi]: 95% Wilson interval over the n examples of a run (seeds and templates reuse them)");
        printCriticalLayers(out, summary);
        printSettlingLayers(out, summary);
    }

    /**
     * Per model and setting: where its mean accuracy settles (issue 16's base-vs-fine-tune number).
     * With several templates, the mean over templates.
     */
    private static void printSettlingLayers(PrintWriter out, EvalSummary summary) {
        List<Aggregate> rows = summary.templateMeans().isEmpty() ? summary.aggregates() : summary.templateMeans();
        Map<String, List<String>> byModel = new LinkedHashMap<>();
        for (Aggregate a : rows) {
            byModel.computeIfAbsent(a.model(), m -> new ArrayList<>())
                    .add(a.setting() + " layer " + a.settlingLayerOfMeans());
        }
        if (byModel.isEmpty()) {
            return;
        }
        out.println("settling layer (first layer from which accuracy stays within " + SettlingLayer.DEFAULT_MARGIN
                + " of the final layer's):");
        byModel.forEach((model, settings) -> out.println("  " + model + ": " + String.join(", ", settings)));
    }

    /**
     * Per correct/flipped pair: the critical layer of the mean curves (Halawi et al.), or why it is
     * not reported. With several templates, the mean over templates.
     */
    private static void printCriticalLayers(PrintWriter out, EvalSummary summary) {
        List<String> lines = new ArrayList<>();
        if (summary.templateMeans().isEmpty()) {
            for (Aggregate a : summary.aggregates()) {
                if (a.criticalLayerOfMeans() != null || a.criticalLayerReason() != null) {
                    lines.add(criticalLine(a.model(), a.shots(), a.criticalLayerOfMeans(), a.criticalLayerReason(), a.lens()));
                }
            }
        } else {
            for (Aggregate m : summary.templateMeans()) {
                if (m.criticalLayerOfMeans() != null || m.criticalLayerReason() != null) {
                    lines.add(criticalLine(m.model(), m.shots(), m.criticalLayerOfMeans(), m.criticalLayerReason(), m.lens()));
                }
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        out.println("critical layer (first layer where correct - flipped >= half the final gap; only when the final"
                + " accuracies' 95% intervals do not overlap):");
        lines.forEach(out::println);
    }

    private static String criticalLine(String model, int shots, Integer layer, String reason, String lens) {
        return "  " + model + ", " + shots + " shots" + (lens.equals(dev.logitscope.eval.Condition.LOGIT) ? "" : ", " + lens + " lens")
                + ": " + (layer != null ? "layer " + layer : reason);
    }

    /** The examples per condition of a line: one number, or the range when its settings differ. */
    private static String examples(Line line) {
        int lo = line.examples().values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int hi = line.examples().values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return lo == hi ? String.valueOf(lo) : lo + "-" + hi;
    }

    /** Per model: a line per template, then (with several templates) the line of their mean. */
    private static List<Line> lines(EvalSummary summary) {
        boolean several = !summary.templateMeans().isEmpty();
        Map<String, Map<String, Line>> byModel = new LinkedHashMap<>();
        for (Aggregate a : summary.aggregates()) {
            Line line = byModel.computeIfAbsent(a.model(), m -> new LinkedHashMap<>())
                    .computeIfAbsent(a.template(), t -> new Line(a.model(), t, !several, new LinkedHashMap<>(),
                            new LinkedHashMap<>()));
            line.cells().put(a.setting(), a.finalAccuracy());
            line.examples().put(a.setting(), a.examples());
        }
        for (Aggregate m : summary.templateMeans()) {
            Line line = byModel.computeIfAbsent(m.model(), k -> new LinkedHashMap<>())
                    .computeIfAbsent("\u0000mean", t -> new Line(m.model(), "mean of " + m.templates().size(), true,
                            new LinkedHashMap<>(), new LinkedHashMap<>()));
            line.cells().put(m.setting(), m.finalAccuracy());
            line.examples().put(m.setting(), m.examples());
        }
        List<Line> lines = new ArrayList<>();
        byModel.values().forEach(l -> lines.addAll(l.values()));
        return lines;
    }

    private static String cell(Spread s, boolean withStd, Integer n) {
        String mean = withStd ? String.format(Locale.ROOT, "%.3f±%.3f", s.mean(), s.std())
                : String.format(Locale.ROOT, "%.3f", s.mean());
        Wilson w = Wilson.of(s.mean(), n == null ? 0 : n);
        return w.defined() ? mean + " [" + compact(w.lo()) + "," + compact(w.hi()) + "]" : mean;
    }

    /** 0.329 as ".329" (1 stays "1.000"): the interval fits beside the accuracy in a column. */
    private static String compact(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.startsWith("0.") ? s.substring(1) : s;
    }

    private static String pad(String text, int width) {
        String t = text.length() > width ? "…" + text.substring(text.length() - width + 1) : text;
        return String.format(Locale.ROOT, "%-" + width + "s", t);
    }
}

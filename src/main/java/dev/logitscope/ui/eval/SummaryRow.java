package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.Aggregate;
import dev.logitscope.eval.Spread;
import dev.logitscope.eval.Wilson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of the Evaluate tab's summary table: a model in one demonstration setting (over its
 * seeds), as text ready to show.
 *
 * @param examples      examples per run of the setting (n of the interval)
 * @param finalAccuracy the last layer's accuracy (± std over seeds when several)
 * @param interval      its 95% Wilson interval over the examples, "[lo, hi]"
 * @param bestLayer     the layer with the highest accuracy and that accuracy (where to exit early)
 * @param criticalLayer on flipped demonstrations: where they pull the layers away, "no reliable gap"
 *                      when the final gap is within its noise, "—" otherwise
 * @param criticalNote  why there is no critical layer, with the numbers ("" when there is one or none applies)
 * @param rate          the model's examples per second
 */
public record SummaryRow(String model, String setting, int examples, String finalAccuracy, String interval,
        String bestLayer, String criticalLayer, String criticalNote, String rate) {

    public static List<SummaryRow> of(EvalSummary summary) {
        List<SummaryRow> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Aggregate a : summary.aggregates()) {
            if (!seen.add(a.model() + '\u0000' + a.setting())) {
                continue; // 0-shot under correct and flipped labels is one prompt, computed once: one row
            }
            boolean several = a.seeds().size() > 1;
            Integer critical = a.criticalLayerOfMeans();
            String reason = a.criticalLayerReason();
            rows.add(new SummaryRow(a.model(), a.setting(), a.examples(), spread(a.finalAccuracy(), several),
                    Wilson.of(a.finalAccuracy().mean(), a.examples()).text(),
                    layer(a.bestLayer(), several) + " (" + spread(a.bestAccuracy(), several) + ")",
                    critical != null ? String.valueOf(critical) : reason != null ? shortReason(reason) : "—",
                    critical == null && reason != null ? reason : "", rate(summary, a.model())));
        }
        return rows;
    }

    /** "no reliable gap" or "no gap": the part of the reason before its numbers. */
    private static String shortReason(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    private static String spread(Spread s, boolean withStd) {
        return withStd ? String.format(Locale.ROOT, "%.3f ± %.3f", s.mean(), s.std())
                : String.format(Locale.ROOT, "%.3f", s.mean());
    }

    private static String layer(Spread s, boolean several) {
        return several ? String.format(Locale.ROOT, "%.1f", s.mean()) : String.valueOf(Math.round(s.mean()));
    }

    private static String rate(EvalSummary summary, String model) {
        for (ModelStats m : summary.models()) {
            if (m.name().equals(model)) {
                double r = m.examplesPerSecond();
                return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f", r);
            }
        }
        return "—";
    }
}

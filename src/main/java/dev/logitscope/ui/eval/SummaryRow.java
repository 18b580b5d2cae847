package dev.logitscope.ui.eval;

import dev.logitscope.eval.ConditionSummary;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.SeedAggregate;
import dev.logitscope.eval.Spread;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of the Evaluate tab's summary table: a model in one demonstration setting (over its
 * seeds), as text ready to show.
 *
 * @param finalAccuracy the last layer's accuracy (± std over seeds when several)
 * @param bestLayer     the layer with the highest accuracy and that accuracy (where to exit early)
 * @param criticalLayer on flipped demonstrations: where they pull the layers away, "—" otherwise
 * @param rate          the model's examples per second
 */
public record SummaryRow(String model, String setting, int examples, String finalAccuracy, String bestLayer,
        String criticalLayer, String rate) {

    public static List<SummaryRow> of(EvalSummary summary) {
        List<SummaryRow> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SeedAggregate a : summary.aggregates()) {
            if (!seen.add(a.model() + '\u0000' + a.setting())) {
                continue; // 0-shot under correct and flipped labels is one prompt, computed once: one row
            }
            boolean several = a.seeds().size() > 1;
            Integer critical = a.criticalLayerOfMeans();
            rows.add(new SummaryRow(a.model(), a.setting(), examples(summary, a), spread(a.finalAccuracy(), several),
                    layer(a.bestLayer(), several) + " (" + spread(a.bestAccuracy(), several) + ")",
                    critical == null ? "—" : String.valueOf(critical), rate(summary, a.model())));
        }
        return rows;
    }

    private static int examples(EvalSummary summary, SeedAggregate a) {
        return summary.conditions().stream().filter(c -> c.condition().model().equals(a.model())
                && c.condition().setting().equals(a.setting())).mapToInt(ConditionSummary::examples).max().orElse(0);
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

package dev.logitscope.plot;

import dev.logitscope.lens.TopToken;
import java.util.ArrayList;
import java.util.List;

/** Known data sets for the renderer tests. */
final class PlotFixtures {
    private PlotFixtures() {}

    /**
     * {@code layers + 1} rows (embed … L) with P(positive) rising to a peak in the middle and
     * falling again, so the middle layers are right and the final one is wrong (overthinking).
     */
    static LabelHeatmapData overthinking(int layers) {
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        int reversal = -1;
        for (int i = 0; i <= layers; i++) {
            double x = layers == 0 ? 0 : i / (double) layers;
            double pos = 1e-5 + 0.6 * Math.sin(Math.PI * x) * Math.sin(Math.PI * x);
            double neg = 1e-5 + 0.5 * x * x;
            double[] probs = {pos, neg};
            double norm = LabelHeatmapData.normalized(probs, 0);
            boolean right = pos > neg;
            if (!right && i > 0 && reversal < 0 && rows.get(i - 1).verdict() == LabelHeatmapData.Verdict.RIGHT) {
                reversal = i;
            }
            rows.add(new LabelHeatmapData.Row(i == 0 ? "embed" : Integer.toString(i), i, probs, norm,
                    right ? "positive" : "negative",
                    right ? LabelHeatmapData.Verdict.RIGHT : LabelHeatmapData.Verdict.WRONG,
                    right, i == reversal, List.of(new TopToken(3967, " positive", pos))));
        }
        String why = reversal < 0 ? "" : "Layers right until layer " + (reversal - 1)
                + "; from layer " + reversal + " the flipped demonstrations win and the final answer is wrong.";
        return new LabelHeatmapData("gpt2 · 4 flipped demonstrations", List.of("positive", "negative"), 0, rows, why);
    }

    /** One row per given (pos, neg) pair, no flags: for exact colour checks. */
    static LabelHeatmapData rows(double[][] probs) {
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            int best = LabelHeatmapData.argmax(probs[i]);
            rows.add(new LabelHeatmapData.Row(i == 0 ? "embed" : Integer.toString(i), i, probs[i],
                    LabelHeatmapData.normalized(probs[i], 0), best < 0 ? "n/a" : best == 0 ? "positive" : "negative",
                    LabelHeatmapData.Verdict.UNKNOWN, false, false, List.of()));
        }
        return new LabelHeatmapData("", List.of("positive", "negative"), 0, rows, "");
    }
}

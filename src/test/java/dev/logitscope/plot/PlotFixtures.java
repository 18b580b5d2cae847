package dev.logitscope.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.ModelInfo;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ModelShape;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenDisplay;
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

    /**
     * A report of {@code layers} blocks read at {@code positions} positions, tracking " positive"
     * and " negative". P(positive) at the last position is {@code 0.1 + 0.8·layer/L}; every value
     * is a plain function of (layer, position) so tests can predict any cell.
     */
    static LensReport report(int layers, int positions) {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            String text = i % 2 == 0 ? " tok" + i : "<&>";
            tokens.add(new Token(i, text, TokenDisplay.visible(text), -1, -1));
        }
        List<LayerReading> readings = new ArrayList<>();
        for (int l = 0; l <= layers; l++) {
            List<PositionReading> at = new ArrayList<>();
            for (int p = 0; p < positions; p++) {
                double pos = 0.1 + 0.8 * l / Math.max(1, layers);
                at.add(new PositionReading(p, new double[] {pos, (1 - pos) / 2}, new int[] {l, 2 * l},
                        entropy(l, p), kl(l, p),
                        List.of(new TopToken(100 + l, " w" + l + "_" + p, topProb(l, p)),
                                new TopToken(7, " the", 0.01)), Double.NaN));
            }
            readings.add(new LayerReading(l, false, l == 0 ? "embed" : "block " + l, at));
        }
        ModelInfo info = new ModelInfo("test", new ModelShape("gpt2", layers, 8, 2, 1024, 50257, 1000), 0, 0);
        return new LensReport(info, "prompt", tokens,
                List.of(new TrackedWord(" positive", new int[] {3967}), new TrackedWord(" negative", new int[] {4633})),
                readings);
    }

    static double topProb(int layer, int position) {
        return ((layer * 7 + position * 3) % 10) / 10.0 + 0.05;
    }

    static double entropy(int layer, int position) {
        return (layer + position) % 5 * 1.5;
    }

    static double kl(int layer, int position) {
        return (layer * 3 + position) % 7 * 0.5;
    }
}

package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the model "overthinks" a prompt (Halawi et al., "Overthinking the Truth"): an earlier
 * layer gets the label right with conviction and the final layer gets it wrong.
 *
 * <p>Definitions, over layers 0..L (L = the last):
 * <ul>
 *   <li>flips: layers l ≥ 1 whose prediction differs from layer l − 1's;</li>
 *   <li>correct layers / first correct layer: where the prediction equals the gold label;</li>
 *   <li>last correct layer: the last layer before L that is correct <em>with margin</em>, i.e.
 *       whose renormalised probability of the gold label is ≥ 0.5 + δ;</li>
 *   <li>overthinks: a last correct layer exists and layer L is wrong;</li>
 *   <li>reversal layer (only when overthinking): the first layer of the run of wrong predictions
 *       that ends at layer L — the layer from which the model is wrong and stays wrong. It always
 *       comes after the last correct layer.</li>
 * </ul>
 * Without a gold label only the flips are known; every other field is null.
 *
 * @param gold              the gold label, or null
 * @param margin            δ
 * @param flips             layers whose prediction differs from the previous layer's
 * @param correctLayers     layers whose prediction is correct (null without gold)
 * @param firstCorrectLayer the first of them (null without gold or when none)
 * @param lastCorrectLayer  last layer before L correct with margin (null without gold or when none)
 * @param finalCorrect      whether layer L is correct (null without gold)
 * @param overthinks        the verdict (null without gold)
 * @param reversalLayer     start of the final wrong run when overthinking, else null
 */
public record Overthinking(Sentiment gold, double margin, List<Integer> flips, List<Integer> correctLayers,
        Integer firstCorrectLayer, Integer lastCorrectLayer, Boolean finalCorrect, Boolean overthinks,
        Integer reversalLayer) {

    /** δ of the paper's margin: a layer counts as confidently correct at ≥ 0.6. */
    public static final double DEFAULT_MARGIN = 0.1;
    /** Tolerance for rounding at the threshold, so 0.5 + 0.1 accepts exactly 0.6. */
    private static final double TOLERANCE = 1e-12;

    public Overthinking {
        flips = List.copyOf(flips);
        correctLayers = correctLayers == null ? null : List.copyOf(correctLayers);
    }

    /**
     * Analyses a two-label trajectory of renormalised P(positive), one per layer 0..L; the
     * prediction of each layer follows {@link LabelOdds#predict}.
     *
     * @param gold the gold label, or null for flips only
     */
    public static Overthinking analyse(double[] normalizedPositive, Sentiment gold, double margin) {
        double[][] rows = new double[normalizedPositive.length][];
        for (int l = 0; l < rows.length; l++) {
            rows[l] = new double[] {normalizedPositive[l], 1 - normalizedPositive[l]};
        }
        return analyse(rows, gold, margin);
    }

    /** The analysis of a trajectory's raw or calibrated label probabilities. */
    public static Overthinking of(LabelTrajectory trajectory, boolean calibrated, double margin) {
        return analyse(calibrated ? trajectory.calibrated() : trajectory.normalized(), trajectory.gold(), margin);
    }

    /**
     * Analyses label probabilities renormalised over the labels, [layer 0..L][label]; a layer
     * predicts the argmax ({@link LabelOdds#argmax}). "Correct with margin" is, for two labels, the
     * paper's P(gold) ≥ 0.5 + δ; for more labels its generalisation P(gold) − max P(other) ≥ 2δ
     * (the same condition for two labels): the gold label wins by the same margin over the runner-up.
     *
     * @param gold the gold label, or null for flips only
     */
    public static Overthinking analyse(double[][] normalized, Sentiment gold, double margin) {
        if (normalized.length == 0) {
            throw new IllegalArgumentException("no layers");
        }
        if (!(margin >= 0 && margin < 0.5)) {
            throw new IllegalArgumentException("the margin must be in [0, 0.5), got " + margin);
        }
        int last = normalized.length - 1;
        Sentiment[] predictions = new Sentiment[last + 1];
        List<Integer> flips = new ArrayList<>();
        for (int l = 0; l <= last; l++) {
            predictions[l] = LabelOdds.argmax(normalized[l]);
            if (l > 0 && predictions[l] != predictions[l - 1]) {
                flips.add(l);
            }
        }
        if (gold == null) {
            return new Overthinking(null, margin, flips, null, null, null, null, null, null);
        }
        List<Integer> correct = new ArrayList<>();
        Integer lastCorrect = null;
        for (int l = 0; l <= last; l++) {
            if (predictions[l] == gold) {
                correct.add(l);
                if (l < last && confident(normalized[l], gold, margin)) {
                    lastCorrect = l;
                }
            }
        }
        Integer firstCorrect = correct.isEmpty() ? null : correct.get(0);
        boolean overthinks = lastCorrect != null && predictions[last] != gold;
        Integer reversal = null;
        if (overthinks) {
            int r = last;
            while (r > 0 && predictions[r - 1] != gold) {
                r--;
            }
            reversal = r;
        }
        return new Overthinking(gold, margin, flips, correct, firstCorrect, lastCorrect, predictions[last] == gold, overthinks,
                reversal);
    }

    /** Whether {@code gold} wins with margin δ (see {@link #analyse(double[][], Sentiment, double)}). */
    public static boolean confident(double[] normalized, Sentiment gold, double margin) {
        double p = normalized[gold.index()];
        if (normalized.length == 2) {
            return p >= 0.5 + margin - TOLERANCE;
        }
        double other = 0;
        for (int i = 0; i < normalized.length; i++) {
            if (i != gold.index()) {
                other = Math.max(other, normalized[i]);
            }
        }
        return p - other >= 2 * margin - TOLERANCE;
    }

    /** One line for tables and logs. */
    public String summary() {
        return summary(Sentiment::key);
    }

    /** One line for tables and logs, the gold label named by {@code name} (a label set's own names). */
    public String summary(java.util.function.Function<Sentiment, String> name) {
        if (gold == null) {
            return "overthinking: no gold label; prediction flips at layers " + (flips.isEmpty() ? "none" : flips);
        }
        if (Boolean.TRUE.equals(overthinks)) {
            return "overthinking: YES, layer " + lastCorrectLayer + " is correct (" + name.apply(gold) + ") with margin "
                    + margin + ", the model turns wrong from layer " + reversalLayer + " to the end; flips at " + flips;
        }
        String reason = finalCorrect ? "the last layer is correct"
                : "the last layer is wrong, but no earlier layer is correct with margin " + margin;
        return "overthinking: no (" + reason + "); first correct layer "
                + (firstCorrectLayer == null ? "none" : firstCorrectLayer) + ", flips at " + (flips.isEmpty() ? "none" : flips);
    }
}

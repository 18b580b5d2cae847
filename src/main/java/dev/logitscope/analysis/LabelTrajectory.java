package dev.logitscope.analysis;

import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.Sentiment;
import java.util.Arrays;
import java.util.List;

/**
 * What each tap says about the label words at the last position: taps × labels. The one shape
 * the analysis (overthinking, the demonstration comparison), the plots, the exports and eval read,
 * so none of them reshapes or recomputes the numbers.
 *
 * <p>Per tap and label: the full-vocabulary probability of the label's first token and its rank,
 * and the probabilities renormalised over the labels; optionally the contextually calibrated
 * ones. The prediction of a tap is the argmax over the labels (ties go to the earlier label, so for
 * two labels positive wins a tie, as {@link LabelOdds#predict} always did).
 *
 * @param words      the label words as put in the prompt, in class order (at least two)
 * @param depths     per tap its layer: 0 = embeddings, i = after block i
 * @param names      per tap its display name ("embed", "block 3")
 * @param vocab      [tap][label] full-vocabulary probability of the label's first token (the loss
 *                   method: the per-token likelihood exp(−mean loss) of the class's prompt)
 * @param ranks      [tap][label] the first token's rank in the vocabulary (0 = top), or null when
 *                   not known (the loss method, numbers read back from examples.csv)
 * @param normalized [tap][label] the probabilities renormalised over the labels
 * @param contentFree [tap][label] contextual calibration's p_cf (the content-free inputs' mean label
 *                   probabilities, normalised), or null when calibration was not asked for or the
 *                   calibrated values were read back from a file
 * @param calibrated [tap][label] after contextual calibration, or null when not asked for
 * @param gold       the true label, or null
 */
public record LabelTrajectory(List<String> words, int[] depths, List<String> names, double[][] vocab, int[][] ranks,
        double[][] normalized, double[][] contentFree, double[][] calibrated, Sentiment gold) {

    /** How far a renormalised row may sum from 1 (float32 lens values, rounding). */
    private static final double SUM_TOLERANCE = 1e-6;

    public LabelTrajectory {
        words = List.copyOf(words);
        names = List.copyOf(names);
        int labels = words.size();
        int taps = depths.length;
        if (labels < 2) {
            throw new IllegalArgumentException("a trajectory needs at least two labels, got " + labels);
        }
        if (taps == 0) {
            throw new IllegalArgumentException("a trajectory needs at least one tap");
        }
        if (names.size() != taps) {
            throw new IllegalArgumentException(names.size() + " tap names for " + taps + " taps");
        }
        vocab = checked("vocab", vocab, taps, labels, false);
        normalized = checked("normalized", normalized, taps, labels, true);
        if (contentFree != null && calibrated == null) {
            throw new IllegalArgumentException("a content-free baseline comes with calibrated values");
        }
        contentFree = contentFree == null ? null : checked("contentFree", contentFree, taps, labels, true);
        calibrated = calibrated == null ? null : checked("calibrated", calibrated, taps, labels, true);
        if (ranks != null) {
            if (ranks.length != taps) {
                throw new IllegalArgumentException("ranks: " + ranks.length + " rows for " + taps + " taps");
            }
            int[][] copy = new int[taps][];
            for (int t = 0; t < taps; t++) {
                if (ranks[t].length != labels) {
                    throw new IllegalArgumentException("ranks: tap " + t + " has " + ranks[t].length + " values for "
                            + labels + " labels");
                }
                copy[t] = ranks[t].clone();
            }
            ranks = copy;
        }
        if (gold != null && gold.index() >= labels) {
            throw new IllegalArgumentException("gold label " + gold.index() + " is not one of " + labels + " labels");
        }
        depths = depths.clone();
    }

    private static double[][] checked(String what, double[][] values, int taps, int labels, boolean sumsToOne) {
        if (values.length != taps) {
            throw new IllegalArgumentException(what + ": " + values.length + " rows for " + taps + " taps");
        }
        double[][] copy = new double[taps][];
        for (int t = 0; t < taps; t++) {
            if (values[t].length != labels) {
                throw new IllegalArgumentException(what + ": tap " + t + " has " + values[t].length + " values for "
                        + labels + " labels");
            }
            double sum = 0;
            for (double v : values[t]) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException(what + ": tap " + t + " has " + v + ", not a probability");
                }
                sum += v;
            }
            if (sumsToOne && Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException(what + ": tap " + t + " sums to " + sum + ", not 1");
            }
            copy[t] = values[t].clone();
        }
        return copy;
    }

    /**
     * The raw trajectory of one prompt from its per-tap label probabilities: renormalised over the
     * labels ({@link LabelOdds#normalize}), no calibration.
     */
    public static LabelTrajectory of(List<String> words, int[] depths, List<String> names, double[][] vocab,
            int[][] ranks, Sentiment gold) {
        double[][] normalized = new double[vocab.length][];
        for (int t = 0; t < vocab.length; t++) {
            normalized[t] = LabelOdds.normalize(vocab[t]);
        }
        return new LabelTrajectory(words, depths, names, vocab, ranks, normalized, null, null, gold);
    }

    /** The same numbers with each tap's content-free baseline and calibrated probabilities attached. */
    public LabelTrajectory withCalibration(double[][] baseline, double[][] values) {
        return new LabelTrajectory(words, depths, names, vocab, ranks, normalized, baseline, values, gold);
    }

    /** The same numbers judged against another gold label (or none). */
    public LabelTrajectory withGold(Sentiment newGold) {
        return new LabelTrajectory(words, depths, names, vocab, ranks, normalized, contentFree, calibrated, newGold);
    }

    public int taps() {
        return depths.length;
    }

    public int labels() {
        return words.size();
    }

    /** The classes' names as files and the command line write them (positive/negative for two labels). */
    public List<String> labelNames() {
        return new LabelWords(words).names();
    }

    public String labelName(Sentiment label) {
        return labelNames().get(label.index());
    }

    public boolean isCalibrated() {
        return calibrated != null;
    }

    public int depth(int tap) {
        return depths[tap];
    }

    public String name(int tap) {
        return names.get(tap);
    }

    public double vocab(int tap, Sentiment label) {
        return vocab[tap][label.index()];
    }

    public double normalized(int tap, Sentiment label) {
        return normalized[tap][label.index()];
    }

    /** Calibrated when calibration is on, else raw: the probabilities the decision uses. */
    public double decisive(int tap, Sentiment label) {
        return (calibrated != null ? calibrated : normalized)[tap][label.index()];
    }

    public Sentiment prediction(int tap) {
        return LabelOdds.argmax(normalized[tap]);
    }

    /** The calibrated prediction, or null without calibration. */
    public Sentiment calibratedPrediction(int tap) {
        return calibrated == null ? null : LabelOdds.argmax(calibrated[tap]);
    }

    /** The prediction the decision uses: calibrated when calibration is on. */
    public Sentiment decisivePrediction(int tap) {
        return calibrated != null ? calibratedPrediction(tap) : prediction(tap);
    }

    public Boolean correct(int tap) {
        return LabelOdds.correct(prediction(tap), gold);
    }

    public Boolean calibratedCorrect(int tap) {
        return calibrated == null ? null : LabelOdds.correct(calibratedPrediction(tap), gold);
    }

    /** The last tap's prediction: the model's own answer. */
    public Sentiment finalPrediction() {
        return prediction(taps() - 1);
    }

    /** One label's renormalised probability per tap (calibrated when asked and available). */
    public double[] column(Sentiment label, boolean calibratedValues) {
        double[][] source = calibratedValues ? requireCalibrated() : normalized;
        double[] out = new double[taps()];
        for (int t = 0; t < out.length; t++) {
            out[t] = source[t][label.index()];
        }
        return out;
    }

    /** One label's full-vocabulary probability per tap. */
    public double[] vocabColumn(Sentiment label) {
        double[] out = new double[taps()];
        for (int t = 0; t < out.length; t++) {
            out[t] = vocab[t][label.index()];
        }
        return out;
    }

    /** ln(p_0 / p_1) of a two-label tap, finite when a probability underflowed; null for more labels. */
    public Double logOdds(int tap) {
        return labels() == 2 ? LabelOdds.logOdds(vocab[tap][0], vocab[tap][1]) : null;
    }

    /**
     * The calibrated log-odds of a two-label tap, ln(p/p_cf) − ln((1−p)/(1−p_cf)) as {@link
     * ContextualCalibration#calibrate} computes them (finite for a baseline of 0 or 1); null for more
     * labels or without calibration.
     */
    public Double calibratedLogOdds(int tap) {
        if (labels() != 2 || contentFree == null) {
            return null;
        }
        return LabelOdds.logOdds(normalized[tap][0], normalized[tap][1])
                - LabelOdds.logOdds(contentFree[tap][0], contentFree[tap][1]);
    }

    /** The per-tap view of the two-label days: label 0 and 1's numbers, the argmax prediction. */
    public LayerVerdict verdict(int tap) {
        Calibrated c = null;
        if (calibrated != null) {
            Double calibratedLogOdds = calibratedLogOdds(tap);
            c = new Calibrated(calibrated[tap][0], calibratedLogOdds == null ? Double.NaN : calibratedLogOdds,
                    calibratedPrediction(tap), calibratedCorrect(tap));
        }
        Double lo = logOdds(tap);
        return new LayerVerdict(depths[tap], names.get(tap), vocab[tap][0], vocab[tap][1], normalized[tap][0],
                lo == null ? Double.NaN : lo, prediction(tap), correct(tap), c);
    }

    /** Every tap's {@link #verdict}. */
    public List<LayerVerdict> verdicts() {
        LayerVerdict[] out = new LayerVerdict[taps()];
        for (int t = 0; t < out.length; t++) {
            out[t] = verdict(t);
        }
        return List.of(out);
    }

    private double[][] requireCalibrated() {
        if (calibrated == null) {
            throw new IllegalStateException("no calibrated values: calibration was not asked for");
        }
        return calibrated;
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public double[][] vocab() {
        return deepCopy(vocab);
    }

    @Override
    public int[][] ranks() {
        if (ranks == null) {
            return null;
        }
        int[][] out = new int[ranks.length][];
        for (int t = 0; t < ranks.length; t++) {
            out[t] = ranks[t].clone();
        }
        return out;
    }

    @Override
    public double[][] normalized() {
        return deepCopy(normalized);
    }

    @Override
    public double[][] contentFree() {
        return contentFree == null ? null : deepCopy(contentFree);
    }

    @Override
    public double[][] calibrated() {
        return calibrated == null ? null : deepCopy(calibrated);
    }

    private static double[][] deepCopy(double[][] values) {
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelTrajectory t && words.equals(t.words) && Arrays.equals(depths, t.depths)
                && names.equals(t.names) && Arrays.deepEquals(vocab, t.vocab) && Arrays.deepEquals(ranks, t.ranks)
                && Arrays.deepEquals(normalized, t.normalized) && Arrays.deepEquals(contentFree, t.contentFree)
                && Arrays.deepEquals(calibrated, t.calibrated)
                && java.util.Objects.equals(gold, t.gold);
    }

    @Override
    public int hashCode() {
        return 31 * words.hashCode() + Arrays.deepHashCode(normalized);
    }

    @Override
    public String toString() {
        return "LabelTrajectory[" + taps() + " taps × " + words + ", gold " + gold + (calibrated != null ? ", calibrated" : "")
                + "]";
    }
}

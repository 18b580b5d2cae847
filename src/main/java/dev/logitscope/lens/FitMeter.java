package dev.logitscope.lens;

import dev.logitscope.model.DecoderModel;
import java.util.List;
import java.util.function.Consumer;

/**
 * A lens fit's progress ({@link AffineLensFitter}), by estimated work: block FLOPs of every pass, the float64 sums of the fitting pass,
 * the held-out passes' readouts and, per refinement step, the readouts forward and backward.
 * The time left is each kind of work's remaining cost at that kind's own observed rate (a tiny
 * model's pass runs far below its FLOP rate, the unembedding products near it), at the overall
 * rate for a kind not seen yet (a refinement at the held-out pass's); the fraction shown is the
 * elapsed share of elapsed + left, never going back.
 */
final class FitMeter {
    private static final int FIT = 0;
    private static final int HELD_OUT = 1;
    private static final int REFINE = 2;

    private final DecoderModel model;
    private final int layers;
    private final int width;
    private final Consumer<FitProgress> listener;
    private final long tokensTotal;
    private final double[] costTotal = new double[3];
    private final double[] costDone = new double[3];
    private final double[] secondsIn = new double[3];
    private final long start = System.nanoTime();
    private long lastDone = start;
    private long tokensDone;
    private double shown;

    FitMeter(DecoderModel model, List<int[][]> train, List<int[][]> heldOut, int refineSteps,
            Consumer<FitProgress> listener) {
        this.model = model;
        this.layers = model.shape().nLayer();
        this.width = model.shape().nEmbd();
        this.listener = listener;
        long tokens = 0;
        for (int[][] batch : train) {
            tokens += rows(batch);
            costTotal[FIT] += fitCost(batch);
        }
        for (int[][] batch : heldOut) {
            tokens += rows(batch);
            costTotal[HELD_OUT] += heldOutCost(batch, true);
        }
        for (int s = 0; s < refineSteps; s++) {
            int[][] batch = AffineLensFitter.stepBatch(train, s);
            tokens += rows(batch);
            costTotal[REFINE] += refineCost(batch);
        }
        if (refineSteps > 0) {
            int[][] check = AffineLensFitter.checkBatch(train);
            tokens += 2L * rows(check); // the check before and after the descent
            costTotal[REFINE] += 2 * heldOutCost(check, false);
            for (int[][] batch : heldOut) {
                tokens += rows(batch);
                costTotal[HELD_OUT] += heldOutCost(batch, false);
            }
        }
        this.tokensTotal = tokens;
    }

    private double pass(int[][] batch) {
        int longest = 0;
        for (int[] ids : batch) {
            longest = Math.max(longest, ids.length);
        }
        return model.blockFlops(rows(batch), longest);
    }

    double fitCost(int[][] batch) {
        return pass(batch) + rows(batch) * (layers * 4.0 * width * width); // the two products of the float64 sums
    }

    double heldOutCost(int[][] batch, boolean withPlain) {
        double readouts = withPlain ? 2.0 * layers + 1 : layers + 1;
        return pass(batch) + rows(batch) * readouts * 2.0 * width * model.shape().vocabSize();
    }

    double refineCost(int[][] batch) {
        // per layer: the translator and the readout, forward and backward (≈ 3× forward); the target's readout once
        double perRow = layers * 3.0 * 2.0 * width * (model.shape().vocabSize() + width)
                + 2.0 * width * model.shape().vocabSize();
        return pass(batch) + rows(batch) * perRow;
    }

    void fitted(int[][] batch) {
        done(batch, FIT, fitCost(batch), "fitting");
    }

    void measured(int[][] batch, boolean withPlain, String phase) {
        done(batch, HELD_OUT, heldOutCost(batch, withPlain), phase);
    }

    void checked(int[][] batch, String phase) {
        done(batch, REFINE, heldOutCost(batch, false), phase);
    }

    void refined(int[][] batch, String phase) {
        done(batch, REFINE, refineCost(batch), phase);
    }

    private void done(int[][] batch, int kind, double cost, String phase) {
        long now = System.nanoTime();
        secondsIn[kind] += (now - lastDone) / 1e9;
        lastDone = now;
        tokensDone += rows(batch);
        costDone[kind] += cost;
        report(phase);
    }

    /** Marks the start of a phase's work: time since the last batch (a solve, a setup) is no batch's. */
    void report(String phase) {
        lastDone = System.nanoTime();
        double seconds = (lastDone - start) / 1e9;
        double allCost = 0;
        double allSeconds = 0;
        double totalCost = 0;
        double doneCost = 0;
        for (int k = 0; k < 3; k++) {
            allCost += costDone[k];
            allSeconds += secondsIn[k];
            totalCost += costTotal[k];
            doneCost += costDone[k];
        }
        double left = Double.NaN;
        if (allCost > 0 && allSeconds > 0) {
            double overall = allCost / allSeconds;
            left = 0;
            for (int k = 0; k < 3; k++) {
                // a refinement step not yet seen goes at about the held-out pass's rate: both are unembedding products
                int like = costDone[k] > 0 && secondsIn[k] > 0 ? k : k == REFINE ? HELD_OUT : -1;
                double rate = like >= 0 && costDone[like] > 0 && secondsIn[like] > 0 ? costDone[like] / secondsIn[like]
                        : overall;
                left += Math.max(0, costTotal[k] - costDone[k]) / rate;
            }
        }
        double fraction = Double.isNaN(left) ? (totalCost > 0 ? doneCost / totalCost : 0)
                : seconds + left > 0 ? seconds / (seconds + left) : 0;
        shown = Math.min(1, Math.max(shown, fraction));
        listener.accept(new FitProgress(phase, tokensDone, tokensTotal, shown, seconds, left));
    }

    /** Tokens of a pass: every document's. */
    static int rows(int[][] batch) {
        int rows = 0;
        for (int[] ids : batch) {
            rows += ids.length;
        }
        return rows;
    }
}

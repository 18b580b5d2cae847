package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.TapPoint;
import dev.logitscope.train.LinearSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fits an affine lens by least squares — what a laptop can do instead of training a tuned lens
 * (Belrose et al. 2023 train theirs by SGD on a KL loss over ~65 M tokens). For each hidden state
 * i = 0 … L−1, a ridge regression of the last block's output h_L on h_i over the training tokens,
 * stored in tuned-lens's translator form h + W·h + b (W = A − I for h_L ≈ A·h_i + b) so that
 * {@link TunedLens} reads it. h_L is the tap the model's own readout reads (its final norm and
 * unembedding come after it), so the lens of layer i reads the best affine guess of it.
 *
 * <p>Two passes over the data: the first accumulates float64 sums ({@link RidgeRegression}, memory
 * independent of the token count), then each layer is solved; the second runs the held-out
 * documents and measures, per layer, R² and the mean KL to the final distribution of the plain
 * logit lens and of the fitted lens. Documents run side by side in one pass each, as many as fit
 * {@link #ROWS_PER_PASS} positions ({@link DecoderModel#forwardBranches} after an empty cache).
 * With a {@link KlDescentSettings refinement}, the translators then descend the tuned-lens loss
 * from the least-squares start ({@link KlDescent}: a pass of training documents per update, their
 * residuals held only for that update), and a last held-out pass measures the refined lens.
 * Runs on the model thread.
 */
final class AffineLensFitter {
    /** Positions run through the model at once: large products near the matmul peak, attention masks small. */
    static final int ROWS_PER_PASS = 512;
    /** Rows read through the unembedding at once: bounds the [rows, V] temporaries (~26 MB at V = 50257). */
    private static final int ROWS_PER_READOUT = 128;

    private final DecoderModel model;
    private final int layers;
    private final int width;

    AffineLensFitter(DecoderModel model) {
        this.model = model;
        this.layers = model.shape().nLayer();
        this.width = model.shape().nEmbd();
    }

    AffineLensFit fit(FitData data, double ridge, KlDescentSettings refine, NDManager root, Cancellation cancellation,
            Consumer<FitProgress> listener) throws ModelException {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new ModelException("The ridge λ must be 0 or more, not " + ridge + ".");
        }
        check(data.train(), "training");
        check(data.heldOut(), "held-out");
        if (data.train().isEmpty()) {
            throw new ModelException("No training text to fit the lens on; give a file with text in it.");
        }
        if (data.heldOut().isEmpty()) {
            throw new ModelException("No held-out text to measure the lens on; give more documents or a larger --held-out.");
        }
        List<int[][]> trainBatches = batches(data.train());
        List<int[][]> heldOutBatches = batches(data.heldOut());
        FitMeter meter = new FitMeter(model, trainBatches, heldOutBatches, refine.steps(), listener);
        long start = System.nanoTime();
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        double[] ridgeAbsolute = new double[layers];
        try (NDManager work = root.newSubManager(); KvCache cache = model.newCache()) {
            List<RidgeRegression> regressions = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                regressions.add(new RidgeRegression(width, work));
            }
            meter.report("fitting");
            for (int[][] batch : trainBatches) {
                try (NDManager kept = work.newSubManager()) {
                    List<ResidualCollector.Kept> taps = run(batch, cache, kept, cancellation);
                    NDArray last = taps.get(layers).rows(); // [T, C] h_L
                    for (int i = 0; i < layers; i++) {
                        regressions.get(i).add(taps.get(i).rows(), last);
                    }
                }
                meter.fitted(batch);
            }
            meter.report("solving");
            for (int i = 0; i < layers; i++) {
                cancellation.check();
                RidgeRegression.Solution solution = regressions.get(i).solve(ridge);
                weights[i] = toFloats(solution.weight());
                biases[i] = toFloats(solution.bias());
                ridgeAbsolute[i] = solution.ridgeAbsolute();
                regressions.get(i).close();
            }
        }
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        long heldOutStart = System.nanoTime();
        Measures measures = heldOut(weights, biases, heldOutBatches, true, root, cancellation, meter, "held-out");
        double heldOutSeconds = (System.nanoTime() - heldOutStart) / 1e9;
        List<LayerFit> quality = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            quality.add(new LayerFit(i, ridgeAbsolute[i], measures.r2(i), 1 - measures.squaresIdentity[i] / measures.totalSquares(),
                    measures.klLogit[i] / measures.rows, measures.klAffine[i] / measures.rows));
        }
        KlDescentRecord refinement = null;
        if (refine.enabled()) {
            long refineStart = System.nanoTime();
            Descent descent = descend(weights, biases, trainBatches, refine, root, cancellation, meter);
            Measures after = heldOut(descent.weights(), descent.biases(), heldOutBatches, false, root, cancellation, meter,
                    "held-out (refined)");
            List<KlDescentRecord.RefinedLayer> refinedLayers = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                refinedLayers.add(new KlDescentRecord.RefinedLayer(i, quality.get(i).klAffineLens(),
                        after.klAffine[i] / after.rows, after.r2(i), descent.kept()[i], descent.checkBefore()[i],
                        descent.checkAfter()[i]));
            }
            long tokens = 0;
            int tokensPerStep = 0;
            for (int s = 0; s < refine.steps(); s++) {
                int rows = FitMeter.rows(stepBatch(trainBatches, s));
                tokens += rows;
                tokensPerStep = Math.max(tokensPerStep, rows);
            }
            refinement = new KlDescentRecord(refine.steps(), refine.learningRate(), KlDescent.warmupSteps(refine.steps()),
                    KlDescent.WEIGHT_DECAY, KlDescent.CLIP_NORM, tokensPerStep, tokens, FitMeter.rows(checkBatch(trainBatches)),
                    descent.firstLoss(), descent.lastLoss(), refinedLayers, (System.nanoTime() - refineStart) / 1e9);
            weights = descent.weights();
            biases = descent.biases();
        }
        return new AffineLensFit(width, layers, weights, biases, ridge, data.train().size(), data.trainTokens(),
                data.heldOut().size(), data.heldOutTokens(), quality, fitSeconds, heldOutSeconds, refinement);
    }

    /**
     * What the descent gave: the translators kept per layer (the descended ones where they lower the
     * loss on the check batch, else the least-squares ones), that check's losses, and the training
     * loss of the first and last update's batch.
     */
    private record Descent(float[][] weights, float[][] biases, boolean[] kept, double[] checkBefore, double[] checkAfter,
            double firstLoss, double lastLoss) {}

    /**
     * The training pass the descent checks itself on: the last one, which the descent does not train
     * on (the only one when there is one).
     */
    static int[][] checkBatch(List<int[][]> trainBatches) {
        return trainBatches.get(trainBatches.size() - 1);
    }

    /** The training pass of update {@code step}: the passes before the check batch, cycled in file order. */
    static int[][] stepBatch(List<int[][]> trainBatches, int step) {
        int cycle = Math.max(1, trainBatches.size() - 1);
        return trainBatches.get(step % cycle);
    }

    /**
     * The KL descent from the least-squares translators: one update per pass of training documents,
     * cycling through them in file order, all but the last pass. Then each layer keeps the descended
     * translator only if its loss on that last pass (training text the descent did not see, unless
     * it is the only pass) is below the least-squares start's: a short descent at a learning rate
     * too high for a layer, or one that fits its few batches too closely, can leave it worse. The
     * check uses training text only, so the held-out figures stay a fair measure of what is kept.
     */
    private Descent descend(float[][] weights, float[][] biases, List<int[][]> trainBatches, KlDescentSettings refine,
            NDManager root, Cancellation cancellation, FitMeter meter) throws ModelException {
        double first = Double.NaN;
        double last = Double.NaN;
        LinearSchedule schedule = KlDescent.schedule(refine.steps());
        int[][] check = checkBatch(trainBatches);
        try (NDManager work = root.newSubManager(); KvCache cache = model.newCache();
                KlDescent descent = new KlDescent(model, weights, biases, work)) {
            meter.report("refining");
            double[] checkBefore;
            try (NDManager kept = work.newSubManager()) {
                checkBefore = descent.evaluate(run(check, cache, kept, cancellation), cancellation);
            }
            meter.checked(check, "refining");
            for (int step = 0; step < refine.steps(); step++) {
                int[][] batch = stepBatch(trainBatches, step);
                double loss;
                try (NDManager kept = work.newSubManager()) {
                    loss = sum(descent.accumulate(run(batch, cache, kept, cancellation), cancellation));
                }
                descent.update((float) (refine.learningRate() * schedule.factor(step)));
                first = step == 0 ? loss : first;
                last = loss;
                meter.refined(batch, "refining step " + (step + 1) + "/" + refine.steps());
            }
            double[] checkAfter;
            try (NDManager kept = work.newSubManager()) {
                checkAfter = descent.evaluate(run(check, cache, kept, cancellation), cancellation);
            }
            meter.checked(check, "refining: check");
            float[][] w = descent.weights();
            float[][] b = descent.biases();
            boolean[] refined = new boolean[layers];
            for (int i = 0; i < layers; i++) {
                refined[i] = checkAfter[i] < checkBefore[i];
                if (!refined[i]) {
                    w[i] = weights[i];
                    b[i] = biases[i];
                }
            }
            return new Descent(w, b, refined, checkBefore, checkAfter, first, last);
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    /** A pass over the held-out documents measuring the lens {@code weights}, {@code biases} (and the plain lens if asked). */
    private Measures heldOut(float[][] weights, float[][] biases, List<int[][]> heldOutBatches, boolean withPlain,
            NDManager root, Cancellation cancellation, FitMeter meter, String phase) throws ModelException {
        TunedLensFile file = new TunedLensFile(null, width, layers, null, weights, biases);
        Measures measures = new Measures(layers);
        try (NDManager work = root.newSubManager(); KvCache cache = model.newCache();
                TunedLens lens = new TunedLens(file, work, AffineLensFolder.NAME)) {
            meter.report(phase);
            for (int[][] batch : heldOutBatches) {
                try (NDManager kept = work.newSubManager()) {
                    List<ResidualCollector.Kept> taps = run(batch, cache, kept, cancellation);
                    measure(taps, lens, measures, withPlain, cancellation);
                }
                meter.measured(batch, withPlain, phase);
            }
        }
        return measures;
    }

    private void check(List<int[]> documents, String which) throws ModelException {
        int context = model.shape().nPositions();
        for (int[] ids : documents) {
            if (ids.length == 0) {
                throw new ModelException("A " + which + " document has no tokens.");
            }
            if (ids.length > context) {
                throw new ModelException("A " + which + " document is " + ids.length + " tokens long; the model reads at most "
                        + context + ".");
            }
        }
    }

    /** Documents packed in order into passes of at most {@link #ROWS_PER_PASS} positions (a longer one runs alone). */
    private List<int[][]> batches(List<int[]> documents) {
        int limit = Math.min(ROWS_PER_PASS, model.shape().nPositions());
        List<int[][]> out = new ArrayList<>();
        List<int[]> current = new ArrayList<>();
        int rows = 0;
        for (int[] ids : documents) {
            if (!current.isEmpty() && rows + ids.length > limit) {
                out.add(current.toArray(int[][]::new));
                current.clear();
                rows = 0;
            }
            current.add(ids);
            rows += ids.length;
        }
        if (!current.isEmpty()) {
            out.add(current.toArray(int[][]::new));
        }
        return out;
    }

    /** The residuals after the embeddings and after every block ([T, C] each, T = the batch's tokens), in {@code kept}. */
    private List<ResidualCollector.Kept> run(int[][] batch, KvCache cache, NDManager kept, Cancellation cancellation)
            throws ModelException {
        int rows = 0;
        for (int[] ids : batch) {
            rows += ids.length;
        }
        ResidualCollector collector = new ResidualCollector(kept, 0, rows, false);
        model.forwardBranches(batch, cache, collector, cancellation);
        List<ResidualCollector.Kept> taps = collector.kept();
        if (taps.size() != layers + 1) {
            throw new IllegalStateException("expected " + (layers + 1) + " taps, got " + taps.size());
        }
        return taps;
    }

    /** Held-out sums: squared errors of the affine and identity maps in float64, KL of both lenses to the final layer. */
    private static final class Measures {
        final double[] squaresAffine;
        final double[] squaresIdentity;
        final double[] klLogit;
        final double[] klAffine;
        double[] sumY; // Σ(h_L − shift), for the total sum of squares
        double squaresY; // Σ‖h_L − shift‖²
        double[] shift;
        long rows;

        Measures(int layers) {
            squaresAffine = new double[layers];
            squaresIdentity = new double[layers];
            klLogit = new double[layers];
            klAffine = new double[layers];
        }

        /** R² of the lens's input for hidden state {@code i}. */
        double r2(int i) {
            return 1 - squaresAffine[i] / totalSquares();
        }

        /** Σ‖h_L − h̄_L‖² over the held-out rows. */
        double totalSquares() {
            double meanSquare = 0;
            for (double s : sumY) {
                meanSquare += s * s;
            }
            return squaresY - meanSquare / rows;
        }
    }

    private void measure(List<ResidualCollector.Kept> taps, TunedLens lens, Measures m, boolean withPlain,
            Cancellation cancellation) {
        NDArray last = taps.get(layers).rows(); // [T, C]
        long rows = last.getShape().get(0);
        for (long from = 0; from < rows; from += ROWS_PER_READOUT) {
            cancellation.check();
            long to = Math.min(rows, from + ROWS_PER_READOUT);
            NDIndex chunk = new NDIndex("{}:{}", from, to);
            try (NDScope scope = new NDScope()) {
                NDArray y = last.get(chunk); // [r, C]
                NDArray y64 = y.toType(DataType.FLOAT64, true);
                if (m.shift == null) {
                    m.shift = y64.mean(new int[] {0}).toDoubleArray();
                    m.sumY = new double[width];
                }
                NDArray yc = y64.sub(y64.getManager().create(m.shift)); // [r, C]
                double[] colSums = yc.sum(new int[] {0}).toDoubleArray();
                for (int j = 0; j < width; j++) {
                    m.sumY[j] += colSums[j];
                }
                m.squaresY += yc.square().sum().getDouble();
                NDArray logFinal = model.readout(y).logSoftmax(1); // [r, V]
                NDArray pFinal = logFinal.exp();
                for (int i = 0; i < layers; i++) {
                    NDArray x = taps.get(i).rows().get(chunk); // [r, C]
                    NDArray translated = lens.apply(TapPoint.afterBlock(i), x); // [r, C]
                    m.klAffine[i] += kl(pFinal, logFinal, translated);
                    m.squaresAffine[i] += y64.sub(translated.toType(DataType.FLOAT64, true)).square().sum().getDouble();
                    if (withPlain) {
                        m.klLogit[i] += kl(pFinal, logFinal, x);
                        m.squaresIdentity[i] += y64.sub(x.toType(DataType.FLOAT64, true)).square().sum().getDouble();
                    }
                }
            }
            m.rows += to - from;
        }
    }

    /** Σ over the rows of KL(final ‖ readout of {@code residual}). */
    private double kl(NDArray pFinal, NDArray logFinal, NDArray residual) {
        NDArray logLens = model.readout(residual).logSoftmax(1); // [r, V]
        // per-row sums in float32 (a row is one distribution), then the rows in float64
        return pFinal.mul(logFinal.sub(logLens)).sum(new int[] {1}).toType(DataType.FLOAT64, false).sum().getDouble();
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}

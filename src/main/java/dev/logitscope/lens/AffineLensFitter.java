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

    AffineLensFit fit(FitData data, double ridge, NDManager root, Cancellation cancellation,
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
        Meter meter = new Meter(data, trainBatches, heldOutBatches, listener);
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
                meter.done(batch, false, "fitting");
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
        TunedLensFile file = new TunedLensFile(null, width, layers, null, weights, biases);
        Measures measures = new Measures(layers);
        try (NDManager work = root.newSubManager(); KvCache cache = model.newCache();
                TunedLens lens = new TunedLens(file, work, AffineLensFolder.NAME)) {
            meter.report("held-out");
            for (int[][] batch : heldOutBatches) {
                try (NDManager kept = work.newSubManager()) {
                    List<ResidualCollector.Kept> taps = run(batch, cache, kept, cancellation);
                    measure(taps, lens, measures, cancellation);
                }
                meter.done(batch, true, "held-out");
            }
        }
        double heldOutSeconds = (System.nanoTime() - heldOutStart) / 1e9;
        List<LayerFit> quality = new ArrayList<>();
        double total = measures.totalSquares();
        long n = measures.rows;
        for (int i = 0; i < layers; i++) {
            quality.add(new LayerFit(i, ridgeAbsolute[i], 1 - measures.squaresAffine[i] / total,
                    1 - measures.squaresIdentity[i] / total, measures.klLogit[i] / n, measures.klAffine[i] / n));
        }
        return new AffineLensFit(width, layers, weights, biases, ridge, data.train().size(), data.trainTokens(),
                data.heldOut().size(), data.heldOutTokens(), quality, fitSeconds, heldOutSeconds);
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

        /** Σ‖h_L − h̄_L‖² over the held-out rows. */
        double totalSquares() {
            double meanSquare = 0;
            for (double s : sumY) {
                meanSquare += s * s;
            }
            return squaresY - meanSquare / rows;
        }
    }

    private void measure(List<ResidualCollector.Kept> taps, TunedLens lens, Measures m, Cancellation cancellation) {
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
                    m.klLogit[i] += kl(pFinal, logFinal, x);
                    m.klAffine[i] += kl(pFinal, logFinal, translated);
                    m.squaresAffine[i] += y64.sub(translated.toType(DataType.FLOAT64, true)).square().sum().getDouble();
                    m.squaresIdentity[i] += y64.sub(x.toType(DataType.FLOAT64, true)).square().sum().getDouble();
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

    /** Progress by estimated work: block FLOPs of every pass, plus the held-out pass's readouts. */
    private final class Meter {
        private final Consumer<FitProgress> listener;
        private final long tokensTotal;
        private final double costTotal;
        private final long start = System.nanoTime();
        private long tokensDone;
        private double costDone;

        Meter(FitData data, List<int[][]> train, List<int[][]> heldOut, Consumer<FitProgress> listener) {
            this.listener = listener;
            this.tokensTotal = data.trainTokens() + data.heldOutTokens();
            double cost = 0;
            for (int[][] batch : train) {
                cost += cost(batch, false);
            }
            for (int[][] batch : heldOut) {
                cost += cost(batch, true);
            }
            this.costTotal = cost;
        }

        private double cost(int[][] batch, boolean heldOut) {
            int rows = 0;
            int longest = 0;
            for (int[] ids : batch) {
                rows += ids.length;
                longest = Math.max(longest, ids.length);
            }
            double perRow = heldOut ? (2.0 * layers + 1) * 2.0 * width * model.shape().vocabSize()
                    : layers * 4.0 * width * width; // the two products of the float64 sums
            return model.blockFlops(rows, longest) + rows * perRow;
        }

        void done(int[][] batch, boolean heldOut, String phase) {
            for (int[] ids : batch) {
                tokensDone += ids.length;
            }
            costDone += cost(batch, heldOut);
            report(phase);
        }

        void report(String phase) {
            double seconds = (System.nanoTime() - start) / 1e9;
            double fraction = costTotal > 0 ? Math.min(1, costDone / costTotal) : 0;
            double left = fraction > 0 ? seconds * (1 - fraction) / fraction : Double.NaN;
            listener.accept(new FitProgress(phase, tokensDone, tokensTotal, fraction, seconds, left));
        }
    }
}

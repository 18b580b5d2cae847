package dev.logitscope.lens;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.Scalars;
import dev.logitscope.train.AdamW;
import dev.logitscope.train.GlobalNormClip;
import dev.logitscope.train.LinearSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The tuned-lens training loss, minimised from a given start (the least-squares translators):
 * per hidden state i = 0 … L−1, KL(p_final ‖ softmax(readout(h_i + W_i·h_i + b_i))) summed over the
 * vocabulary and averaged over the batch's tokens, the layers' losses added — tuned-lens's
 * {@code train_loop.py} with {@code --loss kl} (token shift 0), which runs one backward per layer
 * into one optimizer over all translators. As there: gradients clipped to a global norm of 1.0, a
 * linear warm-up over min(1000, steps/5) updates, then a linear decay; weight decay 1e-3 towards
 * W = 0, b = 0 (the identity translator). Here the optimizer is AdamW (decoupled decay, no
 * AMSGrad; tuned-lens's Adam adds the decay to the gradient and uses AMSGrad), the start is the
 * least-squares fit instead of zeros, and a step is one pass of documents (a few hundred tokens)
 * rather than 2¹⁸ tokens: what fits a CPU. The model's final norm and unembedding are the readout,
 * as in every lens here; its weights are constants (only the translators carry gradients).
 *
 * <p>The readout of a layer's rows runs in chunks of {@link #ROWS_PER_CHUNK} with a backward each,
 * so the [rows, V] temporaries of the graph stay small. Every scalar on the graph is a
 * libtorch-owned {@link Scalars} (DJL frees a Java number's buffer under autograd). Model thread.
 */
final class KlDescent implements AutoCloseable {
    static final double WEIGHT_DECAY = 1e-3;
    static final double CLIP_NORM = 1.0;
    static final int MAX_WARMUP = 1000;
    static final int ROWS_PER_CHUNK = 128;

    private final DecoderModel model;
    private final int layers;
    private final NDManager manager;
    /** Per hidden state, nn.Linear's weight [out, in] and bias [out], with gradients. */
    private final NDArray[] weight;
    private final NDArray[] bias;
    private final AdamW optimizer;

    KlDescent(DecoderModel model, float[][] weights, float[][] biases, NDManager parent) {
        this.model = model;
        this.layers = weights.length;
        int d = model.shape().nEmbd();
        this.manager = parent.newSubManager();
        this.weight = new NDArray[layers];
        this.bias = new NDArray[layers];
        for (int i = 0; i < layers; i++) {
            weight[i] = manager.create(weights[i], new Shape(d, d));
            bias[i] = manager.create(biases[i], new Shape(d));
            weight[i].setRequiresGradient(true);
            bias[i].setRequiresGradient(true);
        }
        this.optimizer = new AdamW(manager);
    }

    static int warmupSteps(int steps) {
        return Math.min(MAX_WARMUP, steps / 5); // tuned-lens's default for Adam
    }

    static LinearSchedule schedule(int steps) {
        return new LinearSchedule(steps, warmupSteps(steps));
    }

    /**
     * Adds the gradients of the loss on one batch's residuals to the translators' and returns the
     * loss per layer (mean KL over the batch's rows, nats). {@code taps}: embed, block 1 … block L,
     * each [rows, C], computed without gradients.
     */
    double[] accumulate(List<ResidualCollector.Kept> taps, Cancellation cancellation) {
        return loss(taps, cancellation, true);
    }

    /** The loss per layer on one batch's residuals at the translators as they are, without gradients. */
    double[] evaluate(List<ResidualCollector.Kept> taps, Cancellation cancellation) {
        return loss(taps, cancellation, false);
    }

    private double[] loss(List<ResidualCollector.Kept> taps, Cancellation cancellation, boolean backward) {
        NDArray last = taps.get(layers).rows(); // [T, C] h_L
        long rows = last.getShape().get(0);
        double[] loss = new double[layers];
        for (long from = 0; from < rows; from += ROWS_PER_CHUNK) {
            long to = Math.min(rows, from + ROWS_PER_CHUNK);
            NDIndex chunk = new NDIndex("{}:{}", from, to);
            try (NDScope scope = new NDScope()) {
                // The target, without a graph (grad mode is off on the model thread until the collector opens).
                NDArray logFinal = model.readout(last.get(chunk)).logSoftmax(1); // [r, V]
                NDArray pFinal = logFinal.exp();
                for (int i = 0; i < layers; i++) {
                    cancellation.check();
                    NDArray x = taps.get(i).rows().get(chunk); // [r, C]
                    if (!backward) { // grad mode is off on the model thread: no graph
                        loss[i] += chunkLoss(x, i, logFinal, pFinal, rows).getFloat();
                        continue;
                    }
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray chunkLoss = chunkLoss(x, i, logFinal, pFinal, rows);
                        collector.backward(chunkLoss);
                        loss[i] += chunkLoss.getFloat();
                    }
                }
            }
        }
        return loss;
    }

    /** Σ over the chunk's rows of KL(final ‖ lens of layer i) / all rows: the chunk's share of the mean. */
    private NDArray chunkLoss(NDArray x, int i, NDArray logFinal, NDArray pFinal, long rows) {
        NDArray translated = x.add(Linear.linear(x, weight[i], bias[i]).singletonOrThrow()); // h + W·h + b
        NDArray logLens = model.readout(translated).logSoftmax(1); // [r, V]
        NDArray perRow = pFinal.mul(logFinal.sub(logLens)).sum(new int[] {1}); // [r] KL per token
        return perRow.sum().div(Scalars.of(perRow, rows)); // a libtorch-owned scalar: autograd keeps it
    }

    /** One AdamW update of every translator at {@code learningRate}, after clipping the gradients' global norm. */
    void update(float learningRate) {
        try (NDScope scope = new NDScope()) { // the gradient handles and the norm's temporaries
            List<NDArray> gradients = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                gradients.add(weight[i].getGradient());
                gradients.add(bias[i].getGradient());
            }
            GlobalNormClip.clip(gradients, CLIP_NORM);
            optimizer.beginStep();
            for (int i = 0; i < layers; i++) {
                optimizer.update(i + ".weight", weight[i], gradients.get(2 * i), learningRate, (float) WEIGHT_DECAY);
                optimizer.update(i + ".bias", bias[i], gradients.get(2 * i + 1), learningRate, (float) WEIGHT_DECAY);
            }
        }
    }

    /** The accumulated gradients (for tests): per layer, d loss / d W row-major [out, in], then d loss / d b. */
    float[][] gradients(boolean ofWeights) {
        float[][] out = new float[layers][];
        for (int i = 0; i < layers; i++) {
            try (NDArray g = (ofWeights ? weight[i] : bias[i]).getGradient()) {
                out[i] = g.toFloatArray();
            }
        }
        return out;
    }

    float[][] weights() {
        float[][] out = new float[layers][];
        for (int i = 0; i < layers; i++) {
            out[i] = weight[i].toFloatArray();
        }
        return out;
    }

    float[][] biases() {
        float[][] out = new float[layers][];
        for (int i = 0; i < layers; i++) {
            out[i] = bias[i].toFloatArray();
        }
        return out;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}

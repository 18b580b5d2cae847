package dev.logitscope.lens;

import java.util.List;

/**
 * An affine lens fitted by least squares ({@link AffineLensFitter}), as plain values: per hidden
 * state i = 0 … L−1 the translator W_i (= A_i − I, row-major [out, in]) and b_i of tuned-lens's
 * form h + W·h + b, rounded to float32 as they are stored, and the fit's record.
 *
 * @param ridge          the relative ridge λ (the absolute one per layer is in {@link LayerFit})
 * @param fitSeconds     the accumulating pass and the solve
 * @param heldOutSeconds the pass that measured the lens on held-out tokens
 * @param refinement     the KL descent that refined the least-squares translators (which {@code weights}
 *                       and {@code biases} then are), or null when there was none; {@code quality} is
 *                       always the least-squares fit's
 */
public record AffineLensFit(int dModel, int layers, float[][] weights, float[][] biases, double ridge,
        int trainDocuments, long trainTokens, int heldOutDocuments, long heldOutTokens, List<LayerFit> quality,
        double fitSeconds, double heldOutSeconds, KlDescentRecord refinement) {

    public AffineLensFit {
        quality = List.copyOf(quality);
    }

    /** A least-squares fit without refinement. */
    public AffineLensFit(int dModel, int layers, float[][] weights, float[][] biases, double ridge, int trainDocuments,
            long trainTokens, int heldOutDocuments, long heldOutTokens, List<LayerFit> quality, double fitSeconds,
            double heldOutSeconds) {
        this(dModel, layers, weights, biases, ridge, trainDocuments, trainTokens, heldOutDocuments, heldOutTokens, quality,
                fitSeconds, heldOutSeconds, null);
    }

    public boolean refined() {
        return refinement != null;
    }

    /** Tokens through the model per second, both passes of the least-squares fit. */
    public double tokensPerSecond() {
        double seconds = fitSeconds + heldOutSeconds;
        return seconds > 0 ? (trainTokens + heldOutTokens) / seconds : Double.NaN;
    }
}

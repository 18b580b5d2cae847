package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Refuses lens logits that are not all finite, naming where the non-finite values first appear:
 * the first tap (in forward order) whose residual stream holds one, or else the readout (final
 * norm and unembedding). A scan of the logits costs well under 1 ms per typed token; the residual
 * streams are only inspected once something was found.
 */
final class FiniteCheck {
    private FiniteCheck() {}

    /**
     * @param logits [taps × p, V] row-major, tap-major
     * @param taps   the taps in forward order, each with its residual rows ([p', C], any p')
     * @param positions prompt position of each of the p rows of a tap
     */
    static void requireFinite(float[] logits, int vocab, List<ResidualCollector.Kept> taps, int[] positions)
            throws NonFiniteValuesException {
        int bad = firstNonFinite(logits);
        if (bad < 0) {
            return;
        }
        int row = bad / vocab;
        int p = logits.length / vocab / taps.size();
        int position = positions[row % p];
        for (ResidualCollector.Kept tap : taps) {
            if (hasNonFinite(tap.rows())) {
                throw new NonFiniteValuesException("The model produced NaN or infinite activations, first in the"
                        + " residual stream at layer " + tap.tap().name() + " (reading at position " + position
                        + "). Its weights are most likely corrupt (an interrupted save, an fp16 export that"
                        + " overflowed); no probability or verdict is given. Re-download or re-save the checkpoint.");
            }
        }
        throw new NonFiniteValuesException("The residual stream is finite at every layer, but reading it through"
                + " the final LayerNorm and the unembedding gives NaN or infinite logits (first at layer "
                + taps.get(row / p).tap().name() + ", position " + position + "). The ln_f or wte weights are most"
                + " likely corrupt; no probability or verdict is given. Re-download or re-save the checkpoint.");
    }

    /** Index of the first value that is NaN or ±∞, or −1. */
    static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasNonFinite(NDArray rows) {
        return rows.isNaN().any().getBoolean() || rows.isInfinite().any().getBoolean();
    }
}

package dev.logitscope.model;

import ai.djl.ndarray.NDArray;

/** Runs a forward pass and returns the model's output logits, [T, V] row-major, as plain floats. */
final class FinalLogits {
    private FinalLogits() {}

    /** Must run on the model thread. */
    static float[] of(DecoderModel model, int[] ids) throws ModelException {
        int lastLayer = model.shape().nLayer();
        float[][] out = new float[1][];
        model.forward(ids, null, (tap, first, residual) -> {
            if (!tap.midBlock() && tap.layer() == lastLayer) {
                try (NDArray logits = model.readout(residual)) {
                    out[0] = logits.toFloatArray();
                }
            }
        });
        return out[0];
    }
}

package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** An {@code nn.LayerNorm} over the last axis of width C: {@code ln_1}, {@code ln_2}, {@code ln_f}. */
record LayerNormWeights(NDArray weight, NDArray bias, double epsilon) {

    /** [T, C] → [T, C], normalised with each row's own mean and variance. */
    NDArray apply(NDArray x) {
        Shape normalized = new Shape(weight.getShape().get(0));
        return LayerNorm.layerNorm(x, normalized, weight, bias, (float) epsilon).singletonOrThrow();
    }
}

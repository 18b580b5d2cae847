package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/**
 * An {@code nn.LayerNorm} over the last axis: {@code self_attn_layer_norm}, {@code final_layer_norm}.
 * Without elementwise affine parameters the gain is ones and the bias zeros (made at load).
 */
record LayerNormWeights(NDArray weight, NDArray bias) {

    /** [T, C] → [T, C], normalised with each row's own mean and (biased) variance. */
    NDArray apply(NDArray x) {
        Shape normalized = new Shape(weight.getShape().get(0));
        return LayerNorm.layerNorm(x, normalized, weight, bias, (float) OptConfig.LAYER_NORM_EPSILON).singletonOrThrow();
    }
}

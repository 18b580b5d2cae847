package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * {@code nn.Linear}: x · Wᵀ + b with W stored [out, in], the layout
 * {@code torch.nn.functional.linear} takes as is (one addmm, no transposed copy).
 *
 * @param bias [out], or null ({@code project_in}/{@code project_out}, or {@code enable_bias: false})
 */
record LinearWeights(NDArray weight, NDArray bias) {

    /** [T, in] → [T, out] */
    NDArray apply(NDArray x) {
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }
}

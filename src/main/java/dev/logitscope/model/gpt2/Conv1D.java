package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * GPT-2's Conv1D: x · W + b with W stored [in, out]. Kept as Wᵀ, an [out, in] view (no copy),
 * the layout of {@code torch.nn.functional.linear}, which fuses the matmul and the bias add into
 * one addmm on the original memory.
 */
record Conv1D(NDArray weightT, NDArray bias) {

    NDArray apply(NDArray x) {
        return Linear.linear(x, weightT, bias).singletonOrThrow();
    }
}

package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;

/**
 * An {@code nn.Linear}: x · Wᵀ + b with W stored [out, in], as {@code torch.nn.functional.linear}
 * takes it (GPT-Neo's projections are Linear layers, not GPT-2's [in, out] Conv1D).
 *
 * <p>Named after the PyTorch module it mirrors; DJL's {@code ai.djl.nn.core.Linear} does the arithmetic.
 *
 * @param bias null for a layer without bias ({@code q_proj}, {@code k_proj}, {@code v_proj})
 */
record Linear(NDArray weight, NDArray bias) {

    NDArray apply(NDArray x) {
        return (bias == null ? ai.djl.nn.core.Linear.linear(x, weight) : ai.djl.nn.core.Linear.linear(x, weight, bias))
                .singletonOrThrow();
    }
}

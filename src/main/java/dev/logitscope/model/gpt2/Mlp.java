package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.logitscope.model.Scalars;

/** nanoGPT's {@code MLP}: c_fc, gelu_new, c_proj. */
record Mlp(Conv1D cFc, Conv1D cProj) {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    /** [T, C] → [T, C] through a [T, n_inner] hidden layer. */
    NDArray forward(NDArray x) {
        return cProj.apply(geluNew(cFc.apply(x)));
    }

    /**
     * GPT-2's gelu_new, the tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))),
     * computed as x·σ(2·√(2/π)·(x + 0.044715·x³)) — the same function (0.5·(1 + tanh(z)) = σ(2z))
     * in fewer native calls. DJL's gelu is the erf form, which differs by up to ~5e-4.
     */
    static NDArray geluNew(NDArray x) {
        // Scalars libtorch owns: autograd keeps them for the backward pass (see Scalars).
        NDArray inner = x.pow(Scalars.ofInt(x, 3)).mul(Scalars.of(x, 0.044715)).add(x);
        return Activation.sigmoid(inner.mul(Scalars.of(x, 2 * SQRT_2_OVER_PI))).mul(x);
    }
}

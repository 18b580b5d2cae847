package dev.logitscope.model.gptneo;

import dev.logitscope.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** transformers' {@code GPTNeoMLP}: c_fc, gelu_new, c_proj (both {@code nn.Linear}). */
record Mlp(Linear cFc, Linear cProj) {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    /** [T, C] → [T, C] through a [T, intermediate_size] hidden layer. */
    NDArray forward(NDArray x) {
        return cProj.apply(geluNew(cFc.apply(x)));
    }

    /**
     * gelu_new, the tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as
     * x·σ(2·√(2/π)·(x + 0.044715·x³)), the same function (0.5·(1 + tanh(z)) = σ(2z)) in fewer
     * native calls. DJL's gelu is the erf form, which differs by up to ~5e-4.
     */
    static NDArray geluNew(NDArray x) {
        return Activation.sigmoid(x.pow(Scalars.ofInt(x, 3)).mul(Scalars.of(x, 0.044715)).add(x).mul(Scalars.of(x, 2 * SQRT_2_OVER_PI))).mul(x); // libtorch-owned scalars: see Scalars
    }
}

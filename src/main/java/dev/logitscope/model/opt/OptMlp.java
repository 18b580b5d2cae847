package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;

/** The feed-forward half of {@code OPTDecoderLayer}: fc1, the config's activation (ReLU in OPT), fc2. */
record OptMlp(LinearWeights fc1, OptActivation activation, LinearWeights fc2) {

    /** [T, C] → [T, C] through a [T, ffn_dim] hidden layer. */
    NDArray forward(NDArray x) {
        return fc2.apply(activation.apply(fc1.apply(x)));
    }
}

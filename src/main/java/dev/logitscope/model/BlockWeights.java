package dev.logitscope.model;

import ai.djl.ndarray.NDArray;

/**
 * The weights of one GPT-2 block, named as in the checkpoint. Conv1D weights are stored
 * [in, out], so a projection is {@code x.matMul(weight).add(bias)} with no transpose.
 */
record BlockWeights(
        NDArray ln1Weight, NDArray ln1Bias,           // [C]
        NDArray attnCAttnWeight, NDArray attnCAttnBias, // [C, 3C], [3C]  (q | k | v)
        NDArray attnCProjWeight, NDArray attnCProjBias, // [C, C], [C]
        NDArray ln2Weight, NDArray ln2Bias,           // [C]
        NDArray mlpCFcWeight, NDArray mlpCFcBias,     // [C, 4C], [4C]
        NDArray mlpCProjWeight, NDArray mlpCProjBias) { // [4C, C], [C]
}

package dev.logitscope.model;

import ai.djl.ndarray.NDArray;

/**
 * The weights of one GPT-2 block, named as in the checkpoint. Conv1D weights are stored
 * [in, out]; each is kept here as a transposed [out, in] view (no copy), the layout of
 * {@code torch.nn.functional.linear}, which then fuses the matmul and the bias add into one
 * addmm on the original memory.
 */
record BlockWeights(
        NDArray ln1Weight, NDArray ln1Bias,           // [C]
        NDArray attnCAttnWeightT, NDArray attnCAttnBias, // [3C, C] view, [3C]  (q | k | v)
        NDArray attnCProjWeightT, NDArray attnCProjBias, // [C, C] view, [C]
        NDArray ln2Weight, NDArray ln2Bias,            // [C]
        NDArray mlpCFcWeightT, NDArray mlpCFcBias,     // [4C, C] view, [4C]
        NDArray mlpCProjWeightT, NDArray mlpCProjBias) { // [C, 4C] view, [C]
}

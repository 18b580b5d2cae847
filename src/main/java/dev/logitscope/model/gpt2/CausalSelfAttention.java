package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import ai.djl.ndarray.index.NDIndex;
import dev.logitscope.model.KeyValues;
import dev.logitscope.model.Scalars;

/**
 * nanoGPT's {@code CausalSelfAttention}: c_attn splits into q, k, v per head; softmax(q·kᵀ/√hd +
 * mask)·v; heads merged; c_proj. Keys and values of earlier positions come from the cache.
 *
 * @param block the block's index, the cache slot of its keys and values
 */
record CausalSelfAttention(int block, int nHead, Conv1D cAttn, Conv1D cProj) {

    /**
     * [T, C] → [T, C] for positions after {@code past} cached ones.
     *
     * @param mask  [T, past + T] additive mask, or null when every query may see every key
     * @param cache null for a pass without cache
     * @param dropout applied to the attention probabilities (GPT2Attention's attn_dropout)
     */
    NDArray forward(NDArray x, NDArray mask, KeyValues cache, int past, NDManager scratch, Dropout dropout) {
        int t = (int) x.getShape().get(0);
        int c = (int) x.getShape().get(1);
        int headDim = c / nHead;
        NDArray qkv = cAttn.apply(x); // [T, 3C]
        NDArray q = heads(qkv.get(columns(0, c)), t, headDim);         // [H, T, hd]
        NDArray k = heads(qkv.get(columns(c, 2 * c)), t, headDim);     // [H, T, hd]
        NDArray v = heads(qkv.get(columns(2 * c, 3 * c)), t, headDim); // [H, T, hd]
        if (cache != null) {
            cache.write(block, past, k, v);
            k = cache.keys(block, past + t, scratch);   // [H, past + T, hd]
            v = cache.values(block, past + t, scratch); // [H, past + T, hd]
        }
        NDArray scores = q.mul(Scalars.of(q, 1.0 / Math.sqrt(headDim))).matMul(k.transpose(0, 2, 1)); // [H, T, past + T]
        NDArray weightsPerKey = (mask == null ? scores : scores.add(mask)).softmax(-1); // [H, T, past + T]
        NDArray out = dropout.apply(weightsPerKey, Dropout.Site.ATTENTION).matMul(v);   // [H, T, hd]
        NDArray merged = out.transpose(1, 0, 2).reshape(t, c);                         // [T, C]
        return cProj.apply(merged);
    }

    /** [:, from:to], built rather than parsed from a string on every call. */
    private static NDIndex columns(long from, long to) {
        return new NDIndex().addAllDim().addSliceDim(from, to);
    }

    /** [T, C] → [H, T, hd] */
    private NDArray heads(NDArray x, int t, int headDim) {
        return x.reshape(t, nHead, headDim).transpose(1, 0, 2);
    }
}

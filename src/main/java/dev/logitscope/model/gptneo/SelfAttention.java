package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.KeyValues;

/**
 * transformers' {@code GPTNeoSelfAttention}: q, k, v from three bias-free projections, split into
 * heads; softmax(q·kᵀ + mask)·v — with no 1/√hd scaling, as GPT-Neo was trained; heads merged;
 * {@code out_proj} (with bias). A local layer's mask hides keys further back than its window; keys
 * and values of earlier positions come from the cache. Float32 throughout, as transformers' upcast
 * of q and k to float32 makes the scores.
 *
 * @param block the block's index, the cache slot of its keys and values
 * @param type  global or local: which mask the block's queries use
 */
record SelfAttention(int block, int nHead, AttentionType type, Linear qProj, Linear kProj, Linear vProj, Linear outProj) {

    /**
     * [T, C] → [T, C] for positions after {@code past} cached ones.
     *
     * @param mask  [T, past + T] additive mask of this layer's type, or null when every query may see every key
     * @param cache null for a pass without cache
     * @param dropout applied to the attention probabilities (GPTNeoSelfAttention's attn_dropout)
     */
    NDArray forward(NDArray x, NDArray mask, KeyValues cache, int past, NDManager scratch, Dropout dropout) {
        int t = (int) x.getShape().get(0);
        int c = (int) x.getShape().get(1);
        int headDim = c / nHead;
        NDArray q = heads(qProj.apply(x), t, headDim); // [H, T, hd]
        NDArray k = heads(kProj.apply(x), t, headDim); // [H, T, hd]
        NDArray v = heads(vProj.apply(x), t, headDim); // [H, T, hd]
        if (cache != null) {
            cache.write(block, past, k, v);
            k = cache.keys(block, past + t, scratch);   // [H, past + T, hd]
            v = cache.values(block, past + t, scratch); // [H, past + T, hd]
        }
        NDArray scores = q.matMul(k.transpose(0, 2, 1));                               // [H, T, past + T], unscaled
        NDArray weightsPerKey = (mask == null ? scores : scores.add(mask)).softmax(-1); // [H, T, past + T]
        NDArray out = dropout.apply(weightsPerKey, Dropout.Site.ATTENTION).matMul(v);   // [H, T, hd]
        NDArray merged = out.transpose(1, 0, 2).reshape(t, c);                         // [T, C]
        return outProj.apply(merged);
    }

    /** [T, C] → [H, T, hd] */
    private NDArray heads(NDArray x, int t, int headDim) {
        return x.reshape(t, nHead, headDim).transpose(1, 0, 2);
    }
}

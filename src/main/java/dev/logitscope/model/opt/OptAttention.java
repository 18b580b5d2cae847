package dev.logitscope.model.opt;

import dev.logitscope.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.KeyValues;

/**
 * transformers' {@code OPTAttention}: q = q_proj(x)·head_dim^-0.5 (scaled after the projection,
 * bias included), k = k_proj(x), v = v_proj(x) per head; softmax(q·kᵀ + mask)·v; heads merged;
 * out_proj. Keys and values of earlier positions come from the cache.
 *
 * @param layer the layer's index, the cache slot of its keys and values
 */
record OptAttention(int layer, int numHeads, LinearWeights qProj, LinearWeights kProj, LinearWeights vProj,
        LinearWeights outProj) {

    /**
     * [T, C] → [T, C] for positions after {@code past} cached ones.
     *
     * @param mask  [T, past + T] additive mask, or null when every query may see every key
     * @param cache null for a pass without cache
     * @param dropout applied to the attention probabilities (OPTAttention's attention_dropout)
     */
    NDArray forward(NDArray x, NDArray mask, KeyValues cache, int past, NDManager scratch, Dropout dropout) {
        int t = (int) x.getShape().get(0);
        int c = (int) x.getShape().get(1);
        int headDim = c / numHeads;
        NDArray q = heads(scaled(qProj.apply(x), headDim), t, headDim); // [H, T, hd]
        NDArray k = heads(kProj.apply(x), t, headDim); // [H, T, hd]
        NDArray v = heads(vProj.apply(x), t, headDim); // [H, T, hd]
        if (cache != null) {
            cache.write(layer, past, k, v);
            k = cache.keys(layer, past + t, scratch);   // [H, past + T, hd]
            v = cache.values(layer, past + t, scratch); // [H, past + T, hd]
        }
        NDArray scores = q.matMul(k.transpose(0, 2, 1)); // [H, T, past + T]; the scale is already in q
        NDArray weightsPerKey = (mask == null ? scores : scores.add(mask)).softmax(-1); // [H, T, past + T]
        NDArray out = dropout.apply(weightsPerKey, Dropout.Site.ATTENTION).matMul(v);   // [H, T, hd]
        NDArray merged = out.transpose(1, 0, 2).reshape(t, c);                         // [T, C]
        return outProj.apply(merged);
    }

    /** q · hd^−0.5 with a libtorch-owned scalar (autograd keeps it: see Scalars). */
    private static NDArray scaled(NDArray q, int headDim) {
        return q.mul(Scalars.of(q, Math.pow(headDim, -0.5)));
    }

    /** [T, C] → [H, T, hd] */
    private NDArray heads(NDArray x, int t, int headDim) {
        return x.reshape(t, numHeads, headDim).transpose(1, 0, 2);
    }
}

package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;

/**
 * nanoGPT's {@code Block}: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)). Tells the listener the
 * residual after the attention (mid-block) and after the block, and caches the latter.
 *
 * @param index 0-based; the block's output is layer {@code index + 1}
 */
record Block(int index, LayerNormWeights ln1, CausalSelfAttention attn, LayerNormWeights ln2, Mlp mlp) {

    NDArray forward(NDArray x, NDArray mask, KvCache cache, ResidualListener listener, int past, NDManager scratch,
            Dropout dropout) {
        NDArray attended = attn.forward(ln1.apply(x), mask, cache == null ? null : cache.keyValues(), past, scratch, dropout);
        NDArray mid = x.add(dropout.apply(attended, Dropout.Site.RESIDUAL)); // [T, C]; GPT2Attention's resid_dropout
        if (listener.wantsMidBlock()) {
            listener.onResidual(TapPoint.afterAttention(index + 1), past, mid);
        }
        NDArray out = mid.add(dropout.apply(mlp.forward(ln2.apply(mid)), Dropout.Site.RESIDUAL)); // [T, C]; GPT2MLP's dropout
        if (cache != null) {
            cache.residuals().write(index + 1, past, out);
        }
        listener.onResidual(TapPoint.afterBlock(index + 1), past, out);
        return out;
    }
}

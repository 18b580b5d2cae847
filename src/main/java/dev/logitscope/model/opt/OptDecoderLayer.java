package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;

/**
 * transformers' {@code OPTDecoderLayer}. Pre-LN (125m, 1.3b, 2.7b, …):
 * h = x + attn(self_attn_layer_norm(x)); out = h + mlp(final_layer_norm(h)). Post-LN (350m):
 * h = self_attn_layer_norm(x + attn(x)); out = final_layer_norm(h + mlp(h)). The mid-block tap is
 * h, what the MLP half starts from; the layer's output is cached and tapped as layer index + 1.
 *
 * @param index 0-based; the layer's output is layer {@code index + 1}
 */
record OptDecoderLayer(int index, boolean doLayerNormBefore, LayerNormWeights selfAttnLayerNorm, OptAttention selfAttn,
        LayerNormWeights finalLayerNorm, OptMlp mlp) {

    NDArray forward(NDArray x, NDArray mask, KvCache cache, ResidualListener listener, int past, NDManager scratch,
            Dropout dropout) {
        NDArray h; // [T, C]
        NDArray out; // [T, C]
        // OPTDecoderLayer's dropout (config.dropout) on each branch's output before the residual add.
        if (doLayerNormBefore) {
            h = x.add(dropout.apply(attention(selfAttnLayerNorm.apply(x), mask, cache, past, scratch, dropout),
                    Dropout.Site.RESIDUAL));
            tapMid(listener, past, h);
            out = h.add(dropout.apply(mlp.forward(finalLayerNorm.apply(h)), Dropout.Site.RESIDUAL));
        } else {
            h = selfAttnLayerNorm.apply(x.add(dropout.apply(attention(x, mask, cache, past, scratch, dropout),
                    Dropout.Site.RESIDUAL)));
            tapMid(listener, past, h);
            out = finalLayerNorm.apply(h.add(dropout.apply(mlp.forward(h), Dropout.Site.RESIDUAL)));
        }
        if (cache != null) {
            cache.residuals().write(index + 1, past, out);
        }
        listener.onResidual(TapPoint.afterBlock(index + 1), past, out);
        return out;
    }

    private NDArray attention(NDArray x, NDArray mask, KvCache cache, int past, NDManager scratch, Dropout dropout) {
        return selfAttn.forward(x, mask, cache == null ? null : cache.keyValues(), past, scratch, dropout);
    }

    private void tapMid(ResidualListener listener, int past, NDArray h) {
        if (listener.wantsMidBlock()) {
            listener.onResidual(TapPoint.afterAttention(index + 1), past, h);
        }
    }
}

package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;

/**
 * The additive attention masks of one pass, [T, past + T] each: one for the global layers, one for
 * the local ones; null where every query may see every key.
 */
record LayerMasks(NDArray global, NDArray local) {

    NDArray of(AttentionType type) {
        return type == AttentionType.LOCAL ? local : global;
    }
}

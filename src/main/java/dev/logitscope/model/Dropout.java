package dev.logitscope.model;

import ai.djl.ndarray.NDArray;

/**
 * Dropout in a training pass, at the places transformers' modules apply it in {@code model.train()}:
 * the summed embeddings ({@link Site#EMBEDDINGS}: GPT-2's {@code drop}, GPT-Neo's {@code drop}), the
 * attention probabilities ({@link Site#ATTENTION}: {@code attn_dropout}, OPT's {@code attention_dropout})
 * and each residual branch's output before it is added back ({@link Site#RESIDUAL}: the attention's
 * {@code resid_dropout} after its output projection and the MLP's dropout after its second
 * projection; OPT's {@code dropout} at both). Every inference pass — the lens, analysis, eval, a
 * dev-set evaluation — runs with {@link #NONE}, as {@code model.eval()} does.
 */
public interface Dropout {

    /** Where a pass applies dropout. */
    enum Site { EMBEDDINGS, ATTENTION, RESIDUAL }

    /** {@code x} with dropout of {@code site}'s rate applied (zeros, survivors scaled by 1/(1−p)), or {@code x} itself. */
    NDArray apply(NDArray x, Site site);

    /** No dropout: the identity at every site (evaluation mode). */
    Dropout NONE = (x, site) -> x;
}

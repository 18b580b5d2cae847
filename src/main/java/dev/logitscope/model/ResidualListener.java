package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Sees the residual stream during a forward pass: after the embeddings, after each block's
 * attention (mid-block) and after each block. The logit lens is one such listener.
 *
 * <p>Called on the model thread. {@code residual} is [newTokens, C] for the positions
 * {@code firstPosition .. firstPosition + newTokens - 1} (positions before it came from the KV
 * cache). The array is only valid during the call; use {@link #keep} for anything retained.
 */
@FunctionalInterface
public interface ResidualListener {

    void onResidual(TapPoint tap, int firstPosition, NDArray residual);

    /** Whether mid-block taps are wanted (they cost a copy per block when kept). */
    default boolean wantsMidBlock() {
        return false;
    }

    ResidualListener NONE = (tap, first, residual) -> { };

    /**
     * Moves an array created inside a callback to {@code owner}, so that it survives the block's
     * scope (every array created during a block is closed when the block ends).
     */
    static NDArray keep(NDArray array, NDManager owner) {
        NDScope.unregister(array);
        array.attach(owner);
        return array;
    }
}

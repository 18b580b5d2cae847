package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A decoder-only language model whose residual stream can be tapped and read through its own
 * final norm and unembedding. A family ({@link ModelFamily}, found by {@link ModelFamilies})
 * loads it from a {@link ModelFolder}; GPT-2's is {@code model.gpt2}. All methods run on the model
 * thread, except {@link #checkpoint()}.
 */
public interface DecoderModel extends AutoCloseable {

    ModelShape shape();

    /**
     * Runs {@code newIds} through the model, after the positions already in {@code cache} (which
     * may be null for a pass without cache), telling {@code listener} the residual stream at every
     * tap. Appends the new positions to the cache.
     *
     * @throws ModelException when the positions would exceed the context length
     */
    void forward(int[] newIds, KvCache cache, ResidualListener listener) throws ModelException;

    /**
     * As {@link #forward(int[], KvCache, ResidualListener)}, stopping when {@code cancellation} is
     * requested. A family checks it between blocks; this default checks only before the pass. A
     * stopped pass appends nothing to the cache.
     *
     * @throws RunCancelledException when cancellation is requested
     */
    default void forward(int[] newIds, KvCache cache, ResidualListener listener, Cancellation cancellation)
            throws ModelException {
        cancellation.check();
        forward(newIds, cache, listener);
    }

    /**
     * Runs several continuations of the prompt held in {@code cache} side by side in one pass, each
     * as if it ran alone after that prompt: its positions follow the cache's, and no continuation
     * sees another. Batch evaluation uses it to run many reviews after the same demonstrations at
     * once (bigger matrix products run nearer the machine's peak). {@code listener} sees the rows
     * of all continuations concatenated in order, with {@code firstPosition} = the cache length.
     * The cache still holds only the prompt afterwards.
     *
     * @throws ModelException when a continuation would exceed the context length
     * @throws IllegalArgumentException when all continuations together do not fit the context
     *         after the cached prompt (run fewer at once)
     */
    void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener) throws ModelException;

    /** As {@link #forwardBranches(int[][], KvCache, ResidualListener)}, stopping as {@link #forward(int[], KvCache, ResidualListener, Cancellation)} does. */
    default void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener, Cancellation cancellation)
            throws ModelException {
        cancellation.check();
        forwardBranches(branches, cache, listener);
    }

    /**
     * The lens readout: final norm with the rows' own statistics, then the unembedding.
     * {@code residual} is [N, C]; the result is [N, V] logits in the manager of {@code residual}.
     */
    NDArray readout(NDArray residual);

    /**
     * The unembedding matrix [V, C] the readout multiplies by (transformers' {@code
     * get_output_embeddings().weight}), owned by the model (do not close), for checks such as a tuned
     * lens's {@code unembed_hash}; empty when a family does not expose it.
     */
    default java.util.Optional<NDArray> unembedding() {
        return java.util.Optional.empty();
    }

    /** What {@link #readout} does in most families: the model's final norm, then its unembedding. */
    String STANDARD_READOUT = "final norm, then unembedding";

    /**
     * What {@link #readout} applies to a tap, in a few words for the app and the JSON, so a reader
     * knows what each layer's lens means: e.g. "post-LN, no final norm" for OPT-350m, whose taps
     * are read through the unembedding alone.
     */
    default String readoutDescription() {
        return STANDARD_READOUT;
    }

    /** The classes of the model's sequence-classification head ({@code score}), or empty when it has none. */
    default java.util.Optional<ClassLabels> classLabels() {
        return java.util.Optional.empty();
    }

    /**
     * The classifier-head readout: final norm with the rows' own statistics, then {@code score}.
     * {@code residual} is [N, C]; the result is [N, num_labels] logits in the manager of
     * {@code residual}. Only for a model whose {@link #classLabels()} is present.
     */
    default NDArray classifierReadout(NDArray residual) {
        throw new UnsupportedOperationException("this model has no classification head");
    }

    /** A new empty KV cache for this model. */
    KvCache newCache();

    /** Bytes of float32 weights held (mapped or read). */
    long weightBytes();

    /** Where the weights live: mapped from the files or read into memory. */
    WeightStorage weightStorage();

    /** Tells whether the weight files changed on disk since this model was loaded from them. Thread-safe. */
    CheckpointWatch checkpoint();

    /**
     * Floating-point operations (multiply-add = 2) of the blocks for {@code tokens} new tokens
     * that attend to {@code context} positions in all, excluding the unembedding: the yardstick
     * the benchmark measures achieved speed against.
     */
    double blockFlops(int tokens, int context);

    /** The [in, out] shapes of the blocks' weight matrices, for the benchmark's matmul peak probe. */
    List<int[]> projectionShapes();

    @Override
    void close();
}

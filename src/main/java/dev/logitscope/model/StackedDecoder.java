package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * The forward pass every decoder family here shares, written once: check the ids, lay a prompt or
 * several continuations out at their positions, embed them, tap the embeddings, then run the
 * blocks one by one — each in an {@link NDScope}, with a cancellation check before it — while the
 * blocks write their keys, values and residuals into the cache. A family says only what differs:
 * how tokens are embedded ({@link #embed}), which masks a pass needs and which block runs at
 * layer i ({@link #blocks}), and how a tap is read out.
 *
 * <p>Memory: each pass runs in its own sub-manager of the model's manager and each block in an
 * {@link NDScope}, so temporaries are freed block by block and nothing attaches to the weights.
 */
public abstract class StackedDecoder implements DecoderModel {

    /** Layer {@code layer}'s block applied to x [T, C] → [T, C], with the masks of the pass it belongs to. */
    @FunctionalInterface
    protected interface Blocks {
        NDArray forward(int layer, NDArray x, KvCache cache, ResidualListener listener, int past, NDManager scratch);
    }

    /** Owns the model's arrays (weights in the families' own sub-managers, one sub-manager per pass). */
    protected final NDManager manager;
    private final CheckpointWatch checkpoint;

    protected StackedDecoder(NDManager manager, CheckpointWatch checkpoint) {
        this.manager = manager;
        this.checkpoint = checkpoint;
    }

    /** The token (and position) embeddings of {@code ids} at {@code positions}: [T, C] in {@code scratch}. */
    protected abstract NDArray embed(NDManager scratch, int[] ids, int[] positions);

    /**
     * The blocks of one pass over continuations of {@code lengths} tokens laid side by side after
     * {@code past} cached positions (one length for a plain prompt): the family builds the masks
     * it needs in {@code scratch} (see {@link AttentionMasks}) and returns its blocks with them,
     * applying {@code dropout} at its attention probabilities and residual branches
     * ({@link Dropout#NONE} outside training).
     */
    protected abstract Blocks blocks(NDManager scratch, int[] lengths, int past, Dropout dropout);

    @Override
    public CheckpointWatch checkpoint() {
        return checkpoint;
    }

    @Override
    public KvCache newCache() {
        ModelShape s = shape();
        return new KvCache(manager.newSubManager(), s.nLayer(), s.nHead(), s.nEmbd() / s.nHead(), s.nEmbd(),
                s.nPositions());
    }

    @Override
    public void forward(int[] newIds, KvCache cache, ResidualListener listener) throws ModelException {
        forward(newIds, cache, listener, Cancellation.NEVER);
    }

    @Override
    public void forward(int[] newIds, KvCache cache, ResidualListener listener, Cancellation cancellation)
            throws ModelException {
        int past = cache == null ? 0 : cache.length();
        int t = newIds.length;
        if (t == 0) {
            throw new ModelException("Nothing to run: the prompt has no tokens. Type some text.");
        }
        checkFits(past + t);
        checkIds(newIds);
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = past + i;
        }
        run(newIds, positions, new int[] {t}, cache, listener, cancellation, Dropout.NONE);
        if (cache != null) { // only a pass that ran to its end extends the cache
            cache.appendTokens(newIds);
        }
    }

    @Override
    public void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener) throws ModelException {
        forwardBranches(branches, cache, listener, Cancellation.NEVER);
    }

    @Override
    public void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener, Cancellation cancellation)
            throws ModelException {
        int past = cache.length();
        int total = 0;
        int longest = 0;
        for (int[] branch : branches) {
            if (branch.length == 0) {
                throw new ModelException("Nothing to run: a continuation has no tokens.");
            }
            total += branch.length;
            longest = Math.max(longest, branch.length);
            checkIds(branch);
        }
        checkFits(past + longest);
        int context = shape().nPositions();
        if (past + total > context) {
            // The branches sit side by side in the cache's buffers while they run.
            throw new IllegalArgumentException("branches of " + total + " tokens after " + past
                    + " cached ones do not fit " + context + " positions; run fewer at once");
        }
        Packed packed = Packed.after(past, branches);
        run(packed.ids(), packed.positions(), packed.lengths(), cache, listener, cancellation, Dropout.NONE);
        // Nothing is appended: the cache still holds the shared prefix only.
    }

    /**
     * The sequence-classification logits [B, num_labels] of each sequence, read at its last token
     * through {@link #classifierReadout}: the sequences run side by side through the same
     * {@link #run} as inference, each seeing only itself with positions from 0 (the family's masks
     * keep them apart; GPT-Neo's local windows count from each sequence's own start). With grad
     * mode on (fine-tuning) the result carries the graph back to the weights; {@code dropout} is
     * the training pass's ({@link Dropout#NONE} to evaluate). Lands in {@code owner}.
     */
    public final NDArray classifierLogits(int[][] sequences, Dropout dropout, NDManager owner) throws ModelException {
        long[] last = new long[sequences.length];
        long end = 0;
        for (int q = 0; q < sequences.length; q++) {
            end += sequences[q].length;
            last[q] = end - 1;
        }
        return classifierReadout(finalRows(sequences, last, dropout, owner));
    }

    /**
     * The next-token logits [R, V] ({@link #readout}: the final norm, then the tied or separate
     * unembedding, as the family's LM head) at the flat positions {@code rows} of the sequences
     * laid side by side as {@link #classifierLogits} lays them. Only the rows asked for go through
     * the unembedding, so a loss on a few label tokens does not pay for [T, V]. With grad mode on
     * the result carries the graph back to the weights; {@code dropout} as in {@link #classifierLogits}.
     * Lands in {@code owner}.
     */
    public final NDArray lmLogits(int[][] sequences, int[] rows, Dropout dropout, NDManager owner) throws ModelException {
        long[] at = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            at[i] = rows[i];
        }
        return readout(finalRows(sequences, at, dropout, owner));
    }

    /** The last layer's residual [R, C] at the flat positions {@code rows} of the sequences run side by side. */
    private NDArray finalRows(int[][] sequences, long[] rows, Dropout dropout, NDManager owner) throws ModelException {
        if (sequences.length == 0) {
            throw new ModelException("No examples to run.");
        }
        for (int[] sequence : sequences) {
            if (sequence.length == 0) {
                throw new ModelException("An example has no tokens; every review needs some text.");
            }
            checkFits(sequence.length);
            checkIds(sequence);
        }
        Packed packed = Packed.after(0, sequences); // positions restart at 0 for each
        NDArray[] finalRows = new NDArray[1];
        int lastLayer = shape().nLayer();
        run(packed.ids(), packed.positions(), packed.lengths(), null, (tap, first, residual) -> {
            if (!tap.midBlock() && tap.layer() == lastLayer) {
                finalRows[0] = ResidualListener.keep(residual, owner); // [total, C]
            }
        }, Cancellation.NEVER, dropout);
        // The index as a copy libtorch owns: the backward pass keeps it after this frame.
        return finalRows[0].get(new NDIndex("{}", owner.create(rows).duplicate())); // [R, C]
    }

    /** Refuses a pass over {@code positions} positions when the model reads fewer. */
    protected final void checkFits(int positions) throws ModelException {
        InputChecks.requireFits(positions, shape().nPositions());
    }

    /** Refuses ids outside the vocabulary (a tokenizer of another model). */
    protected final void checkIds(int[] ids) throws ModelException {
        InputChecks.requireInVocabulary(ids, shape().vocabSize());
    }

    /**
     * Runs {@code ids} at {@code positions} — continuations of {@code lengths} tokens laid side by
     * side (one length for a plain prompt) — through the blocks after the cache's positions
     * ({@code cache} may be null: a pass without cache, as training runs), writing their keys,
     * values and residuals into the cache's buffers (not its token list). Stops with
     * {@link RunCancelledException} before a block when {@code cancellation} is requested. A
     * training pass applies {@code dropout} to the embeddings (before they are tapped, as
     * transformers' first hidden state is) and inside the blocks.
     */
    protected final void run(int[] ids, int[] positions, int[] lengths, KvCache cache, ResidualListener listener,
            Cancellation cancellation, Dropout dropout) {
        cancellation.check();
        int past = cache == null ? 0 : cache.length();
        if (cache != null) {
            cache.ensureCapacity(past + ids.length);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = dropout.apply(embed(scratch, ids, positions), Dropout.Site.EMBEDDINGS); // [T, C]
            if (cache != null) {
                cache.residuals().write(0, past, x);
            }
            listener.onResidual(TapPoint.embeddings(), past, x);
            Blocks blocks = blocks(scratch, lengths, past, dropout);
            for (int i = 0; i < shape().nLayer(); i++) {
                cancellation.check(); // between blocks: a superseded run stops here, the cache untouched
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = blocks.forward(i, x, cache, listener, past, scratch);
                    NDScope.unregister(next);
                }
                x.close();
                x = next;
            }
        }
    }

    /**
     * Continuations laid side by side: their ids concatenated, each at the positions it would have
     * alone after {@code past} cached ones.
     */
    protected record Packed(int[] ids, int[] positions, int[] lengths) {
        public static Packed after(int past, int[][] sequences) {
            int total = 0;
            int[] lengths = new int[sequences.length];
            for (int s = 0; s < sequences.length; s++) {
                lengths[s] = sequences[s].length;
                total += lengths[s];
            }
            int[] ids = new int[total];
            int[] positions = new int[total];
            int at = 0;
            for (int[] sequence : sequences) {
                for (int i = 0; i < sequence.length; i++) {
                    ids[at] = sequence[i];
                    positions[at++] = past + i;
                }
            }
            return new Packed(ids, positions, lengths);
        }
    }
}

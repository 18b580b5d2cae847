package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.InputChecks;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelShape;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.WeightStorage;
import java.util.List;

/**
 * GPT-Neo written with DJL NDArray operations, read against transformers' {@code GPTNeoModel} /
 * {@code GPTNeoForCausalLM}: token + learned position embeddings, pre-LayerNorm {@link Block}s of
 * unscaled {@link SelfAttention} (global, or local over the last {@code window_size} positions) and
 * a {@code gelu_new} {@link Mlp}, final {@code ln_f}, tied (or separate) unembedding. Float32
 * throughout.
 *
 * <p>Memory: each forward pass runs in its own sub-manager and each block in an {@link NDScope},
 * so temporaries are freed block by block and nothing attaches to the weights' manager.
 */
public final class GptNeoModel implements DecoderModel {
    static final String FAMILY = "gpt_neo";

    private final GptNeoConfig config;
    private final GptNeoWeights weights;
    private final NDManager manager;
    private final CheckpointWatch checkpoint;

    private GptNeoModel(GptNeoConfig config, GptNeoWeights weights, NDManager manager, CheckpointWatch checkpoint) {
        this.config = config;
        this.weights = weights;
        this.manager = manager;
        this.checkpoint = checkpoint;
    }

    /** Loads a model folder with the weights held as {@code storage} says (every shard alike). Runs on the model thread. */
    public static GptNeoModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch checkpoint = CheckpointWatch.start(files.files()); // before reading: a save during the load counts
        GptNeoConfig config = GptNeoConfig.parse(folder.configJson(), folder.config().toString());
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles tensors = CheckpointFiles.open(files)) {
            GptNeoWeights weights = GptNeoWeights.load(tensors, config, manager, storage);
            if (checkpoint.changed()) {
                // Part old, part new weights would be a model nobody trained.
                throw new ModelException(checkpoint.file() + " changed while it was being loaded (is a training run saving it?)."
                        + " Load the model again once it has been written.");
            }
            return new GptNeoModel(config, weights, manager, checkpoint);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public GptNeoConfig config() {
        return config;
    }

    @Override
    public ModelShape shape() {
        return new ModelShape(FAMILY, config.nLayer(), config.nEmbd(), config.nHead(), config.nPositions(),
                config.vocabSize(), config.parameterCount());
    }

    @Override
    public long weightBytes() {
        return weights.residentBytes();
    }

    @Override
    public WeightStorage weightStorage() {
        return weights.storage();
    }

    @Override
    public CheckpointWatch checkpoint() {
        return checkpoint;
    }

    @Override
    public double blockFlops(int tokens, int context) {
        return config.blockFlops(tokens, context);
    }

    @Override
    public List<int[]> projectionShapes() {
        int c = config.nEmbd();
        return List.of(new int[] {c, config.nInner()}, new int[] {config.nInner(), c}, new int[] {c, c});
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.nLayer(), config.nHead(), config.headDim(), config.nEmbd(),
                config.nPositions());
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
        run(newIds, positions, new int[] {t}, cache, listener, cancellation);
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
        int[] lengths = new int[branches.length];
        for (int b = 0; b < branches.length; b++) {
            int[] branch = branches[b];
            if (branch.length == 0) {
                throw new ModelException("Nothing to run: a continuation has no tokens.");
            }
            lengths[b] = branch.length;
            total += branch.length;
            longest = Math.max(longest, branch.length);
            checkIds(branch);
        }
        checkFits(past + longest);
        if (past + total > config.nPositions()) {
            // The branches sit side by side in the cache's buffers while they run.
            throw new IllegalArgumentException("branches of " + total + " tokens after " + past
                    + " cached ones do not fit " + config.nPositions() + " positions; run fewer at once");
        }
        int[] ids = new int[total];
        int[] positions = new int[total];
        int at = 0;
        for (int[] branch : branches) {
            for (int i = 0; i < branch.length; i++) {
                ids[at] = branch[i];
                positions[at++] = past + i;
            }
        }
        run(ids, positions, lengths, cache, listener, cancellation);
        // Nothing is appended: the cache still holds the shared prefix only.
    }

    private void checkFits(int positions) throws ModelException {
        InputChecks.requireFits(positions, config.nPositions());
    }

    private void checkIds(int[] ids) throws ModelException {
        InputChecks.requireInVocabulary(ids, config.vocabSize());
    }

    /**
     * Runs {@code ids} at {@code positions} — continuations of {@code lengths} tokens laid side by
     * side (one for a plain prompt) — through the blocks after the cache's positions, writing their
     * keys, values and residuals into the cache's buffers (not its token list). Stops with
     * {@link RunCancelledException} before a block when {@code cancellation} is requested.
     */
    private void run(int[] ids, int[] positions, int[] lengths, KvCache cache, ResidualListener listener,
            Cancellation cancellation) {
        cancellation.check();
        int past = cache == null ? 0 : cache.length();
        int t = ids.length;
        if (cache != null) {
            cache.ensureCapacity(past + t);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = embed(scratch, ids, positions); // [T, C]
            if (cache != null) {
                cache.residuals().write(0, past, x);
            }
            listener.onResidual(TapPoint.embeddings(), past, x);
            LayerMasks masks = new LayerMasks(
                    mask(scratch, lengths, past, AttentionMask.UNLIMITED),  // [T, past + T] or null
                    mask(scratch, lengths, past, config.windowSize()));     // [T, past + T] or null
            for (int i = 0; i < config.nLayer(); i++) {
                cancellation.check(); // between blocks: a superseded run stops here, the cache untouched
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = weights.h.get(i).forward(x, masks, cache, listener, past, scratch);
                    NDScope.unregister(next);
                }
                x.close();
                x = next;
            }
        }
    }

    /** The additive mask of a layer with {@code window}, or null when it would hide nothing (one new token in reach of every key). */
    private static NDArray mask(NDManager scratch, int[] lengths, int past, int window) {
        if (!AttentionMask.needed(lengths, past, window)) {
            return null;
        }
        int t = 0;
        for (int length : lengths) {
            t += length;
        }
        return scratch.create(AttentionMask.build(lengths, past, window), new Shape(t, past + t));
    }

    /** wte[ids] + wpe[positions], in {@code scratch}. */
    private NDArray embed(NDManager scratch, int[] ids, int[] positions) {
        NDArray idArray = scratch.create(ids).toType(DataType.INT64, false); // [T]
        NDArray positionArray = scratch.create(positions).toType(DataType.INT64, false); // [T]
        NDArray tokens = weights.wte.get(scratch, new NDIndex("{}", idArray)); // [T, C]
        NDArray place = weights.wpe.get(scratch, new NDIndex("{}", positionArray)); // [T, C]
        return tokens.add(place);
    }

    @Override
    public NDArray readout(NDArray residual) {
        NDArray normed = weights.lnF.apply(residual); // [N, C]
        // x · Wᵀ with W [V, C] as stored (a matMul with a transposed view would copy W on every call).
        return ai.djl.nn.core.Linear.linear(normed, weights.unembedding).singletonOrThrow(); // [N, V]
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }
}

package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.AttentionMasks;
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
 * OPT written with DJL NDArray operations, read against transformers' {@code modeling_opt.py}
 * ({@code OPTDecoder} + {@code OPTForCausalLM}): token embeddings (through {@code project_in} when
 * word_embed_proj_dim ≠ hidden_size) plus learned positions offset by 2, {@link OptDecoderLayer}s
 * (pre-LN, or post-LN for opt-350m), then final_layer_norm (pre-LN only), {@code project_out} and
 * the unembedding tied to {@code embed_tokens}. Float32 throughout.
 *
 * <p>Taps: layer 0 is the hidden states the first layer receives (embeddings after project_in,
 * plus positions), layer i the output of decoder layer i, all of width hidden_size. The lens reads a
 * tap as the model reads its last layer's output: final_layer_norm (if the model has one), then
 * project_out (if present), then the unembedding.
 *
 * <p>Memory: each forward pass runs in its own sub-manager and each layer in an {@link NDScope},
 * so temporaries are freed layer by layer and nothing attaches to the weights' manager.
 */
public final class OptModel implements DecoderModel {

    private final OptConfig config;
    private final OptWeights weights;
    private final NDManager manager;
    private final CheckpointWatch checkpoint;

    private OptModel(OptConfig config, OptWeights weights, NDManager manager, CheckpointWatch checkpoint) {
        this.config = config;
        this.weights = weights;
        this.manager = manager;
        this.checkpoint = checkpoint;
    }

    /** Loads a model folder with the weights held as {@code storage} says (every shard alike). Model thread only. */
    public static OptModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch checkpoint = CheckpointWatch.start(files.files()); // before reading: a save during the load counts
        OptConfig config = OptConfig.parse(folder.configJson(), folder.config().toString());
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles checkpointFiles = CheckpointFiles.open(files)) {
            OptWeights weights = OptWeights.load(checkpointFiles, config, manager, storage);
            if (checkpoint.changed()) {
                // Part old, part new weights would be a model nobody trained.
                throw new ModelException(checkpoint.file() + " changed while it was being loaded (is a training run saving it?)."
                        + " Load the model again once it has been written.");
            }
            return new OptModel(config, weights, manager, checkpoint);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public OptConfig config() {
        return config;
    }

    @Override
    public ModelShape shape() {
        return new ModelShape("opt", config.numHiddenLayers(), config.hiddenSize(), config.numAttentionHeads(),
                config.maxPositionEmbeddings(), config.vocabSize(), config.parameterCount());
    }

    @Override
    public String readoutDescription() {
        return config.readoutDescription();
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
        int c = config.hiddenSize();
        return List.of(new int[] {c, config.ffnDim()}, new int[] {config.ffnDim(), c}, new int[] {c, c});
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.numHiddenLayers(), config.numAttentionHeads(), config.headDim(),
                config.hiddenSize(), config.maxPositionEmbeddings());
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
            positions[i] = past + i; // cumsum of an all-ones attention mask, minus 1
        }
        // One new token may see every position: no mask needed (the typing path runs this often).
        run(newIds, positions, t == 1 ? null : AttentionMasks.causal(t, past), cache, listener, cancellation);
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
        if (past + total > config.maxPositionEmbeddings()) {
            // The branches sit side by side in the cache's buffers while they run.
            throw new IllegalArgumentException("branches of " + total + " tokens after " + past
                    + " cached ones do not fit " + config.maxPositionEmbeddings() + " positions; run fewer at once");
        }
        int[] ids = new int[total];
        int[] positions = new int[total];
        int at = 0;
        for (int[] branch : branches) {
            for (int i = 0; i < branch.length; i++) {
                ids[at] = branch[i];
                positions[at++] = past + i; // each continuation as if it ran alone after the prefix
            }
        }
        run(ids, positions, AttentionMasks.branches(branches, past), cache, listener, cancellation);
        // Nothing is appended: the cache still holds the shared prefix only.
    }

    private void checkFits(int positions) throws ModelException {
        InputChecks.requireFits(positions, config.maxPositionEmbeddings());
    }

    private void checkIds(int[] ids) throws ModelException {
        InputChecks.requireInVocabulary(ids, config.vocabSize());
    }

    /**
     * Runs {@code ids} at {@code positions} through the layers after the cache's positions,
     * writing their keys, values and residuals into the cache's buffers (not its token list).
     * Stops with {@link RunCancelledException} before a layer when {@code cancellation} is requested.
     *
     * @param mask [T, past + T] additive attention mask, row-major, or null when every query may
     *             see every key
     */
    private void run(int[] ids, int[] positions, float[] mask, KvCache cache, ResidualListener listener,
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
            NDArray maskArray = mask == null ? null : scratch.create(mask, new Shape(t, past + t)); // [T, past + T]
            for (OptDecoderLayer layer : weights.layers) {
                cancellation.check(); // between layers: a superseded run stops here, the cache untouched
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = layer.forward(x, maskArray, cache, listener, past, scratch);
                    NDScope.unregister(next);
                }
                x.close();
                x = next;
            }
        }
    }

    /** project_in(embed_tokens[ids]) + embed_positions[positions + 2], in {@code scratch}. [T, C] */
    private NDArray embed(NDManager scratch, int[] ids, int[] positions) {
        int[] rows = new int[positions.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = positions[i] + OptConfig.POSITION_OFFSET;
        }
        NDArray idArray = scratch.create(ids).toType(DataType.INT64, false); // [T]
        NDArray rowArray = scratch.create(rows).toType(DataType.INT64, false); // [T]
        NDArray tokens = weights.embedTokens.get(scratch, new NDIndex("{}", idArray)); // [T, word_embed_proj_dim]
        if (weights.projectIn != null) {
            tokens = weights.projectIn.apply(tokens); // [T, C]
        }
        NDArray place = weights.embedPositions.get(scratch, new NDIndex("{}", rowArray)); // [T, C]
        return tokens.add(place);
    }

    @Override
    public NDArray readout(NDArray residual) {
        NDArray x = weights.finalLayerNorm == null ? residual : weights.finalLayerNorm.apply(residual); // [N, C]
        if (weights.projectOut != null) {
            x = weights.projectOut.apply(x); // [N, word_embed_proj_dim]
        }
        // x · Wᵀ with W [V, word_embed_proj_dim] as stored (a transposed view would be copied per call).
        return Linear.linear(x, weights.unembedding).singletonOrThrow(); // [N, V]
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }
}

package dev.logitscope.model.gpt2;

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
import dev.logitscope.model.ClassLabels;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * GPT-2 written with DJL NDArray operations, read against nanoGPT's {@code model.py} and
 * transformers' {@code GPT2Model}: token + position embeddings, pre-LayerNorm {@link Block}s of
 * {@link CausalSelfAttention} and a {@code gelu_new} {@link Mlp}, final {@code ln_f}, tied (or
 * separate) unembedding.
 * Float32 throughout.
 *
 * <p>Memory: each forward pass runs in its own sub-manager and each block in an {@link NDScope},
 * so temporaries are freed block by block and nothing attaches to the weights' manager.
 */
public final class Gpt2Model implements DecoderModel {

    private final Gpt2Config config;
    private final Gpt2Weights weights;
    private final NDManager manager;
    private final CheckpointWatch checkpoint;

    Gpt2Model(Gpt2Config config, Gpt2Weights weights, NDManager manager, CheckpointWatch checkpoint) {
        this.config = config;
        this.weights = weights;
        this.manager = manager;
        this.checkpoint = checkpoint;
    }

    /**
     * Loads a model folder ({@code config.json} and its safetensors weights, one file or shards),
     * the weights held as {@link WeightStorage#forCheckpoint} chooses (in memory unless the files
     * are in the hub cache). Must run on the model thread; the model owns a sub-manager of {@code parent}.
     */
    public static Gpt2Model load(Path folder, NDManager parent) throws ModelException {
        ModelFolder model = new ModelFolder(folder);
        return load(model, parent, WeightStorage.forCheckpoint(model.weightFiles().files().get(0)));
    }

    /** Loads a model folder with the weights held as {@code storage} says. */
    public static Gpt2Model load(Path folder, NDManager parent, WeightStorage storage) throws ModelException {
        return load(new ModelFolder(folder), parent, storage);
    }

    /** Loads a model folder with the weights held as {@code storage} says (every shard alike). */
    public static Gpt2Model load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch checkpoint = CheckpointWatch.start(files.files()); // before reading: a save during the load counts
        Gpt2Config config = Gpt2Config.read(folder.config());
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles safetensors = CheckpointFiles.open(files)) {
            ClassLabels labels = CheckpointNames.hasClassifierHead(safetensors.names())
                    ? ClassLabels.fromConfig(folder.configJson(), folder.config().toString()) : null;
            Gpt2Weights weights = Gpt2Weights.load(safetensors, config, labels, manager, storage);
            if (checkpoint.changed()) {
                // Part old, part new weights would be a model nobody trained.
                throw new ModelException(checkpoint.file() + " changed while it was being loaded (is a training run saving it?)."
                        + " Load the model again once it has been written.");
            }
            return new Gpt2Model(config, weights, manager, checkpoint);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Gpt2Config config() {
        return config;
    }

    @Override
    public ModelShape shape() {
        return new ModelShape("gpt2", config.nLayer(), config.nEmbd(), config.nHead(), config.nPositions(),
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
        return List.of(new int[] {c, config.nInner()}, new int[] {config.nInner(), c}, new int[] {c, 3 * c});
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
        run(ids, positions, AttentionMasks.branches(branches, past), cache, listener, cancellation);
        // Nothing is appended: the cache still holds the shared prefix only.
    }

    private void checkFits(int positions) throws ModelException {
        InputChecks.requireFits(positions, config.nPositions());
    }

    private void checkIds(int[] ids) throws ModelException {
        InputChecks.requireInVocabulary(ids, config.vocabSize());
    }

    /**
     * Runs {@code ids} at {@code positions} through the blocks after the cache's positions,
     * writing their keys, values and residuals into the cache's buffers (not its token list).
     * Stops with {@link RunCancelledException} before a block when {@code cancellation} is requested.
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
            for (int i = 0; i < config.nLayer(); i++) {
                cancellation.check(); // between blocks: a superseded run stops here, the cache untouched
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = weights.h.get(i).forward(x, maskArray, cache, listener, past, scratch);
                    NDScope.unregister(next);
                }
                x.close();
                x = next;
            }
        }
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
        // x · Wᵀ with W [V, C] as stored: a matMul with a transposed view made libtorch copy
        // the whole [C, V] matrix on every call (~150 MB for gpt2), which dominated the lens.
        return Linear.linear(normed, weights.unembedding).singletonOrThrow(); // [N, V]
    }

    @Override
    public Optional<ClassLabels> classLabels() {
        return Optional.ofNullable(weights.labels);
    }

    @Override
    public NDArray classifierReadout(NDArray residual) {
        if (weights.score == null) {
            throw new UnsupportedOperationException("this model has no classification head (score.weight)");
        }
        NDArray normed = weights.lnF.apply(residual); // [N, C]
        return Linear.linear(normed, weights.score).singletonOrThrow(); // [N, num_labels]
    }

    /**
     * The classifier's logits [B, num_labels] of each sequence, read at its last token: the
     * sequences run side by side through the same {@link #run} as inference (a mask keeps each
     * to itself, positions restart at 0), then {@link #classifierReadout}. With grad mode on
     * (fine-tuning) the result carries the graph back to the weights. Lands in {@code owner}.
     */
    NDArray classifierLogits(int[][] sequences, NDManager owner) throws ModelException {
        int total = 0;
        for (int[] sequence : sequences) {
            if (sequence.length == 0) {
                throw new ModelException("An example has no tokens; every review needs some text.");
            }
            checkFits(sequence.length);
            checkIds(sequence);
            total += sequence.length;
        }
        int[] ids = new int[total];
        int[] positions = new int[total];
        int[] last = new int[sequences.length];
        int at = 0;
        for (int s = 0; s < sequences.length; s++) {
            for (int i = 0; i < sequences[s].length; i++) {
                ids[at] = sequences[s][i];
                positions[at++] = i;
            }
            last[s] = at - 1;
        }
        NDArray[] finalRows = new NDArray[1];
        int lastLayer = config.nLayer();
        run(ids, positions, AttentionMasks.branches(sequences, 0), null, (tap, first, residual) -> {
            if (!tap.midBlock() && tap.layer() == lastLayer) {
                finalRows[0] = ResidualListener.keep(residual, owner); // [total, C]
            }
        }, Cancellation.NEVER);
        NDArray lastRows = finalRows[0].get(new NDIndex("{}", owner.create(last).toType(DataType.INT64, false))); // [B, C]
        return classifierReadout(lastRows);
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }

}

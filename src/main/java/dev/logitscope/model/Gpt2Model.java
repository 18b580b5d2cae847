package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.logitscope.safetensors.SafetensorsException;
import dev.logitscope.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * GPT-2 written with DJL NDArray operations, read against nanoGPT's {@code model.py} and
 * transformers' {@code GPT2Model}: token + position embeddings, pre-LayerNorm blocks with causal
 * self-attention and a {@code gelu_new} MLP, final {@code ln_f}, tied (or separate) unembedding.
 * Float32 throughout.
 *
 * <p>Memory: each forward pass runs in its own sub-manager and each block in an {@link NDScope},
 * so temporaries are freed block by block and nothing attaches to the weights' manager.
 */
public final class Gpt2Model implements DecoderModel {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final Gpt2Config config;
    private final Gpt2Weights weights;
    private final NDManager manager;
    private final CheckpointWatch checkpoint;

    private Gpt2Model(Gpt2Config config, Gpt2Weights weights, NDManager manager, CheckpointWatch checkpoint) {
        this.config = config;
        this.weights = weights;
        this.manager = manager;
        this.checkpoint = checkpoint;
    }

    /**
     * Loads {@code config.json} and {@code model.safetensors} from a folder, the weights held as
     * {@link WeightStorage#forCheckpoint} chooses (in memory unless the file is in the hub cache).
     * Must run on the model thread; the model owns a sub-manager of {@code parent}.
     */
    public static Gpt2Model load(Path folder, NDManager parent) throws ModelException {
        return load(folder, parent, WeightStorage.forCheckpoint(folder.resolve("model.safetensors")));
    }

    /** Loads a model folder with the weights held as {@code storage} says. */
    public static Gpt2Model load(Path folder, NDManager parent, WeightStorage storage) throws ModelException {
        Path file = folder.resolve("model.safetensors");
        CheckpointWatch checkpoint = CheckpointWatch.start(file); // before reading: a save during the load counts
        Gpt2Config config = Gpt2Config.read(folder.resolve("config.json"));
        NDManager manager = parent.newSubManager();
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            Gpt2Weights weights = Gpt2Weights.load(safetensors, config, manager, storage);
            if (checkpoint.changed()) {
                // Part old, part new weights would be a model nobody trained.
                throw new ModelException(file + " changed while it was being loaded (is a training run saving it?)."
                        + " Load the model again once it has been written.");
            }
            return new Gpt2Model(config, weights, manager, checkpoint);
        } catch (SafetensorsException e) {
            manager.close();
            throw new ModelException(e.getMessage(), e);
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

    /** Bytes of float32 weights held in memory (mapped or read). */
    public long weightBytes() {
        return weights.residentBytes();
    }

    public WeightStorage weightStorage() {
        return weights.storage();
    }

    /** Tells whether model.safetensors changed on disk since this model was loaded from it. */
    public CheckpointWatch checkpoint() {
        return checkpoint;
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config);
    }

    @Override
    public void forward(int[] newIds, KvCache cache, ResidualListener listener) throws ModelException {
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
        run(newIds, positions, t == 1 ? null : causalMask(t, past), cache, listener);
        if (cache != null) {
            cache.appendTokens(newIds);
        }
    }

    @Override
    public void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener) throws ModelException {
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
        run(ids, positions, branchMask(branches, past), cache, listener);
        // Nothing is appended: the cache still holds the shared prefix only.
    }

    private void checkFits(int positions) throws ModelException {
        if (positions > config.nPositions()) {
            throw new ModelException("The prompt is " + positions + " tokens long but the model reads at most "
                    + config.nPositions() + ". Shorten the review or use fewer demonstrations.");
        }
    }

    private void checkIds(int[] ids) throws ModelException {
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new ModelException("Token id " + id + " is outside the model's vocabulary of "
                        + config.vocabSize() + "; the tokenizer does not belong to this model.");
            }
        }
    }

    /**
     * Runs {@code ids} at {@code positions} through the blocks after the cache's positions,
     * writing their keys, values and residuals into the cache's buffers (not its token list).
     *
     * @param mask [T, past + T] additive attention mask, row-major, or null when every query may
     *             see every key
     */
    private void run(int[] ids, int[] positions, float[] mask, KvCache cache, ResidualListener listener) {
        int past = cache == null ? 0 : cache.length();
        int t = ids.length;
        if (cache != null) {
            cache.ensureCapacity(past + t);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = embed(scratch, ids, positions); // [T, C]
            if (cache != null) {
                cache.writeResidual(0, past, x);
            }
            listener.onResidual(TapPoint.embeddings(), past, x);
            NDArray maskArray = mask == null ? null : scratch.create(mask, new Shape(t, past + t)); // [T, past + T]
            for (int i = 0; i < config.nLayer(); i++) {
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = block(i, x, maskArray, cache, listener, past, scratch);
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

    /** Additive mask: 0 where query i (absolute past+i) may see key j (j ≤ past+i), −∞ elsewhere. */
    private static float[] causalMask(int t, int past) {
        int keys = past + t;
        float[] mask = new float[t * keys];
        for (int i = 0; i < t; i++) {
            for (int j = past + i + 1; j < keys; j++) {
                mask[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return mask;
    }

    /**
     * Additive mask for continuations laid side by side after {@code past} cached positions: each
     * query sees the whole prefix and its own continuation up to itself, never another one.
     */
    static float[] branchMask(int[][] branches, int past) {
        int t = 0;
        for (int[] branch : branches) {
            t += branch.length;
        }
        int keys = past + t;
        float[] mask = new float[t * keys];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        int start = 0;
        for (int[] branch : branches) {
            for (int i = 0; i < branch.length; i++) {
                int row = (start + i) * keys;
                Arrays.fill(mask, row, row + past, 0f);
                Arrays.fill(mask, row + past + start, row + past + start + i + 1, 0f);
            }
            start += branch.length;
        }
        return mask;
    }

    private NDArray block(int index, NDArray x, NDArray mask, KvCache cache, ResidualListener listener, int past,
            NDManager scratch) {
        BlockWeights w = weights.h.get(index);
        NDArray attn = attention(index, w, layerNorm(x, w.ln1Weight(), w.ln1Bias()), mask, cache, past, scratch); // [T, C]
        NDArray mid = x.add(attn); // [T, C]
        if (listener.wantsMidBlock()) {
            listener.onResidual(TapPoint.afterAttention(index + 1), past, mid);
        }
        NDArray hidden = project(layerNorm(mid, w.ln2Weight(), w.ln2Bias()), w.mlpCFcWeightT(), w.mlpCFcBias()); // [T, 4C]
        NDArray mlp = project(geluNew(hidden), w.mlpCProjWeightT(), w.mlpCProjBias()); // [T, C]
        NDArray out = mid.add(mlp); // [T, C]
        if (cache != null) {
            cache.writeResidual(index + 1, past, out);
        }
        listener.onResidual(TapPoint.afterBlock(index + 1), past, out);
        return out;
    }

    private NDArray attention(int index, BlockWeights w, NDArray xNorm, NDArray mask, KvCache cache, int past,
            NDManager scratch) {
        int t = (int) xNorm.getShape().get(0);
        int nHead = config.nHead();
        int headDim = config.headDim();
        int c = config.nEmbd();
        NDArray qkv = project(xNorm, w.attnCAttnWeightT(), w.attnCAttnBias()); // [T, 3C]
        NDArray q = heads(qkv.get(columns(0, c)), t, nHead, headDim);         // [H, T, hd]
        NDArray k = heads(qkv.get(columns(c, 2 * c)), t, nHead, headDim);     // [H, T, hd]
        NDArray v = heads(qkv.get(columns(2 * c, 3 * c)), t, nHead, headDim); // [H, T, hd]
        if (cache != null) {
            cache.writeKeysValues(index, past, k, v);
            k = cache.keys(index, past + t, scratch);   // [H, past + T, hd]
            v = cache.values(index, past + t, scratch); // [H, past + T, hd]
        }
        NDArray scores = q.mul(1.0 / Math.sqrt(headDim)).matMul(k.transpose(0, 2, 1)); // [H, T, past + T]
        NDArray weightsPerKey = (mask == null ? scores : scores.add(mask)).softmax(-1); // [H, T, past + T]
        NDArray out = weightsPerKey.matMul(v);                                         // [H, T, hd]
        NDArray merged = out.transpose(1, 0, 2).reshape(t, c);                         // [T, C]
        return project(merged, w.attnCProjWeightT(), w.attnCProjBias());
    }

    /** x · W + b for a Conv1D layer, given Wᵀ ([out, in] view) as torch's linear wants it. */
    private static NDArray project(NDArray x, NDArray weightT, NDArray bias) {
        return Linear.linear(x, weightT, bias).singletonOrThrow();
    }

    /** [:, from:to], built rather than parsed from a string on every call. */
    private static NDIndex columns(long from, long to) {
        return new NDIndex().addAllDim().addSliceDim(from, to);
    }

    /** [T, C] → [H, T, hd] */
    private static NDArray heads(NDArray x, int t, int nHead, int headDim) {
        return x.reshape(t, nHead, headDim).transpose(1, 0, 2);
    }

    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        Shape normalized = new Shape(config.nEmbd());
        return LayerNorm.layerNorm(x, normalized, gain, bias, (float) config.layerNormEpsilon()).singletonOrThrow();
    }

    /**
     * GPT-2's gelu_new, the tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))),
     * computed as x·σ(2·√(2/π)·(x + 0.044715·x³)) — the same function (0.5·(1 + tanh(z)) = σ(2z))
     * in fewer native calls. DJL's gelu is the erf form, which differs by up to ~5e-4.
     */
    static NDArray geluNew(NDArray x) {
        return Activation.sigmoid(x.pow(3).mul(0.044715).add(x).mul(2 * SQRT_2_OVER_PI)).mul(x);
    }

    @Override
    public NDArray readout(NDArray residual) {
        NDArray normed = layerNorm(residual, weights.lnFWeight, weights.lnFBias); // [N, C]
        // x · Wᵀ with W [V, C] as stored: a matMul with a transposed view made libtorch copy
        // the whole [C, V] matrix on every call (~150 MB for gpt2), which dominated the lens.
        return Linear.linear(normed, weights.unembedding).singletonOrThrow(); // [N, V]
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }

}

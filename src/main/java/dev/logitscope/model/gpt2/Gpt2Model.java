package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import dev.logitscope.model.CheckpointLoad;
import dev.logitscope.model.AttentionMasks;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.StackedDecoder;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelShape;
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
 * The forward pass itself is {@link StackedDecoder}'s, shared with the other families.
 */
public final class Gpt2Model extends StackedDecoder {

    private final Gpt2Config config;
    private final Gpt2Weights weights;

    Gpt2Model(Gpt2Config config, Gpt2Weights weights, NDManager manager, CheckpointWatch checkpoint) {
        super(manager, checkpoint);
        this.config = config;
        this.weights = weights;
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
        return CheckpointLoad.load(folder, parent, f -> Gpt2Config.read(f.config()), CheckpointNames::hasClassifierHead,
                (config, tensors, labels, manager, checkpoint) -> new Gpt2Model(config,
                        Gpt2Weights.load(tensors, config, labels, manager, storage), manager, checkpoint));
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
    public double blockFlops(int tokens, int context) {
        return config.blockFlops(tokens, context);
    }

    @Override
    public List<int[]> projectionShapes() {
        int c = config.nEmbd();
        return List.of(new int[] {c, config.nInner()}, new int[] {config.nInner(), c}, new int[] {c, 3 * c});
    }

    /** wte[ids] + wpe[positions], in {@code scratch}. */
    @Override
    protected NDArray embed(NDManager scratch, int[] ids, int[] positions) {
        NDArray idArray = scratch.create(ids).toType(DataType.INT64, false); // [T]
        NDArray positionArray = scratch.create(positions).toType(DataType.INT64, false); // [T]
        NDArray tokens = weights.wte.get(scratch, new NDIndex("{}", idArray)); // [T, C]
        NDArray place = weights.wpe.get(scratch, new NDIndex("{}", positionArray)); // [T, C]
        return tokens.add(place);
    }

    @Override
    protected Blocks blocks(NDManager scratch, int[] lengths, int past, Dropout dropout) {
        NDArray mask = AttentionMasks.forPass(scratch, lengths, past); // [T, past + T] or null
        return (i, x, cache, listener, p, s) -> weights.h.get(i).forward(x, mask, cache, listener, p, s, dropout);
    }

    @Override
    public java.util.Optional<NDArray> unembedding() {
        return java.util.Optional.of(weights.unembedding);
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

    @Override
    public void close() {
        weights.close();
        manager.close();
    }
}

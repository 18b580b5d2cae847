package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.CheckpointLoad;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.StackedDecoder;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelShape;
import dev.logitscope.model.WeightStorage;
import java.util.List;
import java.util.Optional;

/**
 * GPT-Neo written with DJL NDArray operations, read against transformers' {@code GPTNeoModel} /
 * {@code GPTNeoForCausalLM}: token + learned position embeddings, pre-LayerNorm {@link Block}s of
 * unscaled {@link SelfAttention} (global, or local over the last {@code window_size} positions) and
 * a {@code gelu_new} {@link Mlp}, final {@code ln_f}, tied (or separate) unembedding. Float32
 * throughout.
 *
 * <p>The forward pass itself is {@link StackedDecoder}'s, shared with the other families.
 */
public final class GptNeoModel extends StackedDecoder {
    static final String FAMILY = "gpt_neo";

    private final GptNeoConfig config;
    private final GptNeoWeights weights;

    GptNeoModel(GptNeoConfig config, GptNeoWeights weights, NDManager manager, CheckpointWatch checkpoint) {
        super(manager, checkpoint);
        this.config = config;
        this.weights = weights;
    }

    /** Loads a model folder with the weights held as {@code storage} says (every shard alike). Runs on the model thread. */
    public static GptNeoModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return CheckpointLoad.load(folder, parent, f -> GptNeoConfig.parse(f.configJson(), f.config().toString()),
                CheckpointNames::hasClassifierHead, (config, tensors, labels, manager, checkpoint) -> new GptNeoModel(config,
                        GptNeoWeights.load(tensors, config, labels, manager, storage), manager, checkpoint));
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
    public double blockFlops(int tokens, int context) {
        return config.blockFlops(tokens, context);
    }

    @Override
    public List<int[]> projectionShapes() {
        int c = config.nEmbd();
        return List.of(new int[] {c, config.nInner()}, new int[] {config.nInner(), c}, new int[] {c, c});
    }

    /** Each layer's block with the mask of its attention type: global, or local over the last window_size positions. */
    @Override
    protected Blocks blocks(NDManager scratch, int[] lengths, int past, Dropout dropout) {
        LayerMasks masks = new LayerMasks(
                mask(scratch, lengths, past, AttentionMask.UNLIMITED),  // [T, past + T] or null
                mask(scratch, lengths, past, config.windowSize()));     // [T, past + T] or null
        return (i, x, cache, listener, p, s) -> weights.h.get(i).forward(x, masks, cache, listener, p, s, dropout);
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
    @Override
    protected NDArray embed(NDManager scratch, int[] ids, int[] positions) {
        NDArray idArray = scratch.create(ids).toType(DataType.INT64, false); // [T]
        NDArray positionArray = scratch.create(positions).toType(DataType.INT64, false); // [T]
        NDArray tokens = weights.wte.get(scratch, new NDIndex("{}", idArray)); // [T, C]
        NDArray place = weights.wpe.get(scratch, new NDIndex("{}", positionArray)); // [T, C]
        return tokens.add(place);
    }

    @Override
    public java.util.Optional<NDArray> unembedding() {
        return java.util.Optional.of(weights.unembedding);
    }

    @Override
    public NDArray readout(NDArray residual) {
        NDArray normed = weights.lnF.apply(residual); // [N, C]
        // x · Wᵀ with W [V, C] as stored (a matMul with a transposed view would copy W on every call).
        return ai.djl.nn.core.Linear.linear(normed, weights.unembedding).singletonOrThrow(); // [N, V]
    }

    @Override
    public Optional<ClassLabels> classLabels() {
        return Optional.ofNullable(weights.labels);
    }

    /** GPTNeoForSequenceClassification's head on a tap: ln_f with the rows' own statistics, then score. [N, num_labels] */
    @Override
    public NDArray classifierReadout(NDArray residual) {
        if (weights.score == null) {
            throw new UnsupportedOperationException("this model has no classification head (score.weight)");
        }
        NDArray normed = weights.lnF.apply(residual); // [N, C]
        return ai.djl.nn.core.Linear.linear(normed, weights.score).singletonOrThrow(); // [N, num_labels]
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }
}

package dev.logitscope.model.opt;

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
import java.util.List;
import java.util.Optional;

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
 * <p>The forward pass itself is {@link StackedDecoder}'s, shared with the other families.
 */
public final class OptModel extends StackedDecoder {

    private final OptConfig config;
    private final OptWeights weights;

    OptModel(OptConfig config, OptWeights weights, NDManager manager, CheckpointWatch checkpoint) {
        super(manager, checkpoint);
        this.config = config;
        this.weights = weights;
    }

    /** Loads a model folder with the weights held as {@code storage} says (every shard alike). Model thread only. */
    public static OptModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return CheckpointLoad.load(folder, parent, f -> OptConfig.parse(f.configJson(), f.config().toString()),
                OptCheckpointNames::hasClassifierHead, (config, tensors, labels, manager, checkpoint) -> new OptModel(config,
                        OptWeights.load(tensors, config, labels, manager, storage), manager, checkpoint));
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
    public double blockFlops(int tokens, int context) {
        return config.blockFlops(tokens, context);
    }

    @Override
    public List<int[]> projectionShapes() {
        int c = config.hiddenSize();
        return List.of(new int[] {c, config.ffnDim()}, new int[] {config.ffnDim(), c}, new int[] {c, c});
    }

    @Override
    protected Blocks blocks(NDManager scratch, int[] lengths, int past, Dropout dropout) {
        NDArray mask = AttentionMasks.forPass(scratch, lengths, past); // [T, past + T] or null
        return (i, x, cache, listener, p, s) -> weights.layers.get(i).forward(x, mask, cache, listener, p, s, dropout);
    }

    /** project_in(embed_tokens[ids]) + embed_positions[positions + 2], in {@code scratch}. [T, C] */
    @Override
    protected NDArray embed(NDManager scratch, int[] ids, int[] positions) {
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
    public java.util.Optional<NDArray> unembedding() {
        return java.util.Optional.of(weights.unembedding);
    }

    @Override
    public NDArray readout(NDArray residual) {
        // x · Wᵀ with W [V, word_embed_proj_dim] as stored (a transposed view would be copied per call).
        return Linear.linear(decoderOutput(residual), weights.unembedding).singletonOrThrow(); // [N, V]
    }

    /** OPTDecoder's tail on a tap: final_layer_norm (if the model has one), then project_out (if present). [N, word_embed_proj_dim] */
    private NDArray decoderOutput(NDArray residual) {
        NDArray x = weights.finalLayerNorm == null ? residual : weights.finalLayerNorm.apply(residual); // [N, C]
        if (weights.projectOut != null) {
            x = weights.projectOut.apply(x); // [N, word_embed_proj_dim]
        }
        return x;
    }

    @Override
    public Optional<ClassLabels> classLabels() {
        return Optional.ofNullable(weights.labels);
    }

    /** OPTForSequenceClassification's head on a tap: the decoder's tail as {@link #readout} applies it, then score. [N, num_labels] */
    @Override
    public NDArray classifierReadout(NDArray residual) {
        if (weights.score == null) {
            throw new UnsupportedOperationException("this model has no classification head (score.weight)");
        }
        return Linear.linear(decoderOutput(residual), weights.score).singletonOrThrow(); // [N, num_labels]
    }

    @Override
    public void close() {
        weights.close();
        manager.close();
    }
}

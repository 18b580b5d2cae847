package dev.logitscope.model.opt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.WeightLoader;
import dev.logitscope.model.WeightSource;
import dev.logitscope.model.WeightStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All weights of an OPT model as float32 NDArrays in one long-lived manager, held as
 * {@link WeightStorage} says (read by {@link WeightLoader}: mapped arrays are read-only and must
 * never be the target of an in-place op).
 */
final class OptWeights implements AutoCloseable {
    final NDArray embedTokens;    // [V, word_embed_proj_dim]
    final NDArray embedPositions; // [P + 2, C]
    final LinearWeights projectIn;  // [C, word_embed_proj_dim], or null
    final LinearWeights projectOut; // [word_embed_proj_dim, C], or null
    final List<OptDecoderLayer> layers;
    final LayerNormWeights finalLayerNorm; // [C], or null (post-LN, or removed)
    /** The unembedding as stored, [V, word_embed_proj_dim]: embed_tokens when tied, else lm_head.weight. */
    final NDArray unembedding;
    /** OPTForSequenceClassification's head, [num_labels, word_embed_proj_dim] (it reads project_out's output), or null. */
    final NDArray score;
    /** The classes of {@link #score}, null without it. */
    final ClassLabels labels;

    private final NDManager manager;
    /** Keeps the buffers that arrays wrap (mappings, widened copies) reachable for as long as the arrays live. */
    private final List<ByteBuffer> buffers;
    long bytes;
    private final WeightStorage storage;

    /**
     * Builds the layers over {@code loader}'s weights (a checkpoint's, or a fine-tuning run's
     * leaves), with a {@code score} head of {@code labels} when the source has one (null labels:
     * a head in the source is not read).
     */
    OptWeights(NDManager manager, WeightSource loader, OptConfig config, ClassLabels labels, List<ByteBuffer> buffers,
            WeightStorage storage) throws ModelException {
        this.manager = manager;
        this.buffers = buffers;
        this.storage = storage;
        long c = config.hiddenSize();
        long proj = config.wordEmbedProjDim();
        long ffn = config.ffnDim();
        embedTokens = loader.load("embed_tokens.weight", config.vocabSize(), proj);
        embedPositions = loader.load("embed_positions.weight", config.maxPositionEmbeddings() + OptConfig.POSITION_OFFSET, c);
        projectIn = config.hasProjections() ? new LinearWeights(loader.load("project_in.weight", c, proj), null) : null;
        projectOut = config.hasProjections() ? new LinearWeights(loader.load("project_out.weight", proj, c), null) : null;
        List<OptDecoderLayer> list = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "layers." + i + ".";
            list.add(new OptDecoderLayer(i, config.doLayerNormBefore(),
                    layerNorm(loader, config, p + "self_attn_layer_norm"),
                    new OptAttention(i, config.numAttentionHeads(),
                            linear(loader, config, p + "self_attn.q_proj", c, c),
                            linear(loader, config, p + "self_attn.k_proj", c, c),
                            linear(loader, config, p + "self_attn.v_proj", c, c),
                            linear(loader, config, p + "self_attn.out_proj", c, c)),
                    layerNorm(loader, config, p + "final_layer_norm"),
                    new OptMlp(linear(loader, config, p + "fc1", ffn, c), config.activation(),
                            linear(loader, config, p + "fc2", c, ffn))));
        }
        layers = List.copyOf(list);
        finalLayerNorm = config.hasFinalLayerNorm() ? layerNorm(loader, config, "final_layer_norm") : null;
        unembedding = config.tieWordEmbeddings() ? embedTokens
                : loader.load(OptCheckpointNames.LM_HEAD, config.vocabSize(), proj);
        this.labels = labels != null && loader.has("score.weight") ? labels : null;
        score = this.labels == null ? null : loader.load("score.weight", labels.size(), proj);
    }

    /** nn.Linear weights, stored [out, in] and used as stored. */
    private static LinearWeights linear(WeightSource loader, OptConfig config, String name, long out, long in)
            throws ModelException {
        NDArray weight = loader.load(name + ".weight", out, in);
        return new LinearWeights(weight, config.enableBias() ? loader.load(name + ".bias", out) : null);
    }

    private LayerNormWeights layerNorm(WeightSource loader, OptConfig config, String name) throws ModelException {
        long c = config.hiddenSize();
        if (!config.layerNormElementwiseAffine()) { // nn.LayerNorm(elementwise_affine=False): gain 1, bias 0
            return new LayerNormWeights(manager.ones(new Shape(c), DataType.FLOAT32), manager.zeros(new Shape(c), DataType.FLOAT32));
        }
        return new LayerNormWeights(loader.load(name + ".weight", c), loader.load(name + ".bias", c));
    }

    /**
     * Loads and checks every weight of {@code config} from {@code files} into a new sub-manager of
     * {@code parent}, held as {@code storage} says. Must run on the model thread.
     */
    static OptWeights load(CheckpointFiles files, OptConfig config, ClassLabels labels, NDManager parent,
            WeightStorage storage) throws ModelException {
        Map<String, String> names;
        try {
            names = new HashMap<>(OptCheckpointNames.index(files.names()));
        } catch (IllegalArgumentException e) {
            throw new ModelException(files.description() + " " + e.getMessage() + ".");
        }
        if (config.tieWordEmbeddings()) {
            // transformers' tie_weights makes lm_head share embed_tokens, whatever lm_head.weight was saved.
            names.remove(OptCheckpointNames.LM_HEAD);
        }
        NDManager manager = parent.newSubManager();
        try {
            WeightLoader loader = new WeightLoader(files, names, manager, storage, "OPT");
            OptWeights weights = new OptWeights(manager, loader, config, labels, loader.buffers(), loader.storage());
            weights.bytes = loader.bytes();
            loader.warnUnused();
            manager.cap(); // any op that would attach a result here (a leak per forward) now fails loudly
            return weights;
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Bytes of float32 weight data held (mapped or in memory). */
    long residentBytes() {
        return bytes;
    }

    WeightStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        manager.close();
        buffers.clear();
    }
}

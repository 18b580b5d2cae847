package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.WeightLoader;
import dev.logitscope.model.WeightSource;
import dev.logitscope.model.WeightStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All weights of a GPT-Neo model as float32 NDArrays in one long-lived manager, held as
 * {@link WeightStorage} says (read by {@link WeightLoader}: mapped arrays are read-only and must
 * never be the target of an in-place op). {@code nn.Linear} weights are used as stored, [out, in].
 */
final class GptNeoWeights implements AutoCloseable {
    final NDArray wte;        // [V, C]
    final NDArray wpe;        // [P, C]
    final List<Block> h;
    final LayerNormWeights lnF; // [C]
    /** The unembedding as stored, [V, C]: wte when tied, else lm_head.weight. */
    final NDArray unembedding;
    /** GPTNeoForSequenceClassification's head, [num_labels, C], or null when the weights have none. */
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
    GptNeoWeights(NDManager manager, WeightSource loader, GptNeoConfig config, ClassLabels labels,
            List<ByteBuffer> buffers, WeightStorage storage) throws ModelException {
        this.manager = manager;
        this.buffers = buffers;
        this.storage = storage;
        long c = config.nEmbd();
        long v = config.vocabSize();
        long inner = config.nInner();
        double eps = config.layerNormEpsilon();
        // A tied checkpoint holds the one matrix once, as transformer.wte.weight or (as some saves
        // keep the tied head instead) lm_head.weight; it is then both the embedding and the head.
        // With both present transformers ties lm_head to wte, so wte is the one used.
        boolean headOnly = config.tiedEmbeddings() && !loader.has("wte.weight") && loader.has("lm_head.weight");
        wte = loader.load(headOnly ? "lm_head.weight" : "wte.weight", v, c);
        wpe = loader.load("wpe.weight", config.nPositions(), c);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            String a = p + "attn.attention.";
            blocks.add(new Block(i,
                    new LayerNormWeights(loader.load(p + "ln_1.weight", c), loader.load(p + "ln_1.bias", c), eps),
                    new SelfAttention(i, config.nHead(), config.attentionLayers().get(i),
                            new Linear(loader.load(a + "q_proj.weight", c, c), null),
                            new Linear(loader.load(a + "k_proj.weight", c, c), null),
                            new Linear(loader.load(a + "v_proj.weight", c, c), null),
                            new Linear(loader.load(a + "out_proj.weight", c, c), loader.load(a + "out_proj.bias", c))),
                    new LayerNormWeights(loader.load(p + "ln_2.weight", c), loader.load(p + "ln_2.bias", c), eps),
                    new Mlp(new Linear(loader.load(p + "mlp.c_fc.weight", inner, c), loader.load(p + "mlp.c_fc.bias", inner)),
                            new Linear(loader.load(p + "mlp.c_proj.weight", c, inner), loader.load(p + "mlp.c_proj.bias", c)))));
        }
        h = List.copyOf(blocks);
        lnF = new LayerNormWeights(loader.load("ln_f.weight", c), loader.load("ln_f.bias", c), eps);
        unembedding = config.tiedEmbeddings() ? wte : loader.load("lm_head.weight", v, c);
        this.labels = labels != null && loader.has("score.weight") ? labels : null;
        score = this.labels == null ? null : loader.load("score.weight", labels.size(), c);
    }

    /**
     * Loads and checks every weight of {@code config} from {@code files} into a new sub-manager of
     * {@code parent}, held as {@code storage} says. Must run on the model thread.
     */
    static GptNeoWeights load(CheckpointFiles files, GptNeoConfig config, ClassLabels labels, NDManager parent,
            WeightStorage storage) throws ModelException {
        Map<String, String> names;
        try {
            names = CheckpointNames.index(files.names());
        } catch (IllegalArgumentException e) {
            throw new ModelException(files.description() + " " + e.getMessage() + ".");
        }
        NDManager manager = parent.newSubManager();
        try {
            WeightLoader loader = new WeightLoader(files, names, manager, storage, "GPT-Neo");
            GptNeoWeights weights = new GptNeoWeights(manager, loader, config, labels, loader.buffers(), loader.storage());
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

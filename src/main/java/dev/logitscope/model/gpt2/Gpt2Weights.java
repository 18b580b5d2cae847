package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.WeightLoader;
import dev.logitscope.model.WeightStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All weights of a GPT-2 model as float32 NDArrays in one long-lived manager, held as
 * {@link WeightStorage} says (read by {@link WeightLoader}: mapped arrays are read-only and must
 * never be the target of an in-place op).
 */
public final class Gpt2Weights implements AutoCloseable {
    final NDArray wte;        // [V, C]
    final NDArray wpe;        // [P, C]
    final List<Block> h;
    final LayerNormWeights lnF; // [C]
    /** The unembedding as stored, [V, C]: lm_head.weight when untied, else wte (tied). */
    final NDArray unembedding;
    final boolean tiedUnembedding;
    /** The classification head, [num_labels, C], or null when the checkpoint has none. */
    final NDArray score;
    /** The classes of {@link #score}, null without it. */
    final ClassLabels labels;

    private final NDManager manager;
    /** Keeps the buffers that arrays wrap (mappings, widened copies) reachable for as long as the arrays live. */
    private final List<ByteBuffer> buffers;
    long bytes;
    private final WeightStorage storage;

    /**
     * Supplies each weight by canonical name in the layout the forward pass uses: a file's
     * ({@link WeightLoader}) or a fine-tuning run's trainable copies.
     */
    interface Source {
        boolean has(String name);

        /** A weight used as stored, of exactly {@code shape}. */
        NDArray plain(String name, long... shape) throws ModelException;

        /** A Conv1D weight stored [in, out], as the [out, in] array {@link Conv1D} reads. */
        NDArray conv(String name, long in, long out) throws ModelException;
    }

    /** A checkpoint's weights, each Conv1D weight kept as a transposed view of the stored one (no copy). */
    static Source of(WeightLoader loader) {
        return new Source() {
            @Override
            public boolean has(String name) {
                return loader.has(name);
            }

            @Override
            public NDArray plain(String name, long... shape) throws ModelException {
                return loader.load(name, shape);
            }

            @Override
            public NDArray conv(String name, long in, long out) throws ModelException {
                return loader.load(name, in, out).transpose();
            }
        };
    }

    Gpt2Weights(NDManager manager, Source source, Gpt2Config config, ClassLabels labels, List<ByteBuffer> buffers,
            WeightStorage storage) throws ModelException {
        this.manager = manager;
        this.buffers = buffers;
        this.storage = storage;
        wte = source.plain("wte.weight", config.vocabSize(), config.nEmbd());
        wpe = source.plain("wpe.weight", config.nPositions(), config.nEmbd());
        List<Block> blocks = new ArrayList<>();
        long c = config.nEmbd();
        long inner = config.nInner();
        double eps = config.layerNormEpsilon();
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            blocks.add(new Block(i,
                    new LayerNormWeights(source.plain(p + "ln_1.weight", c), source.plain(p + "ln_1.bias", c), eps),
                    new CausalSelfAttention(i, config.nHead(),
                            new Conv1D(source.conv(p + "attn.c_attn.weight", c, 3 * c), source.plain(p + "attn.c_attn.bias", 3 * c)),
                            new Conv1D(source.conv(p + "attn.c_proj.weight", c, c), source.plain(p + "attn.c_proj.bias", c))),
                    new LayerNormWeights(source.plain(p + "ln_2.weight", c), source.plain(p + "ln_2.bias", c), eps),
                    new Mlp(new Conv1D(source.conv(p + "mlp.c_fc.weight", c, inner), source.plain(p + "mlp.c_fc.bias", inner)),
                            new Conv1D(source.conv(p + "mlp.c_proj.weight", inner, c), source.plain(p + "mlp.c_proj.bias", c)))));
        }
        h = List.copyOf(blocks);
        lnF = new LayerNormWeights(source.plain("ln_f.weight", c), source.plain("ln_f.bias", c), eps);
        tiedUnembedding = !source.has("lm_head.weight");
        unembedding = tiedUnembedding ? wte : source.plain("lm_head.weight", config.vocabSize(), config.nEmbd());
        // GPT2ForSequenceClassification's head: score.weight [num_labels, C], no bias.
        this.labels = labels != null && source.has("score.weight") ? labels : null;
        score = this.labels == null ? null : source.plain("score.weight", labels.size(), c);
    }

    /**
     * Loads and checks every weight of {@code config} from {@code files} into a new sub-manager of
     * {@code parent}, held as {@code storage} says. Must run on the model thread.
     */
    public static Gpt2Weights load(CheckpointFiles files, Gpt2Config config, NDManager parent, WeightStorage storage)
            throws ModelException {
        return load(files, config, null, parent, storage);
    }

    /**
     * As {@link #load(CheckpointFiles, Gpt2Config, NDManager, WeightStorage)}, reading a
     * {@code score.weight} head (when the checkpoint has one) with the classes {@code labels}
     * (null: a head in the file is ignored with a warning).
     */
    public static Gpt2Weights load(CheckpointFiles files, Gpt2Config config, ClassLabels labels, NDManager parent,
            WeightStorage storage) throws ModelException {
        Map<String, String> names;
        try {
            names = CheckpointNames.index(files.names());
        } catch (IllegalArgumentException e) {
            throw new ModelException(files.description() + " " + e.getMessage() + ".");
        }
        NDManager manager = parent.newSubManager();
        try {
            WeightLoader loader = new WeightLoader(files, names, manager, storage, "GPT-2");
            Gpt2Weights weights = new Gpt2Weights(manager, of(loader), config, labels, loader.buffers(), loader.storage());
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
    public long residentBytes() {
        return bytes;
    }

    public WeightStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        manager.close();
        buffers.clear();
    }
}

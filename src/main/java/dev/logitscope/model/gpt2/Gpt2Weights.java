package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.CheckpointFiles;
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

    private final NDManager manager;
    /** Keeps the buffers that arrays wrap (mappings, widened copies) reachable for as long as the arrays live. */
    private final List<ByteBuffer> buffers;
    private final long bytes;
    private final WeightStorage storage;

    private Gpt2Weights(NDManager manager, WeightLoader loader, Gpt2Config config) throws ModelException {
        this.manager = manager;
        this.buffers = loader.buffers();
        this.storage = loader.storage();
        wte = loader.load("wte.weight", config.vocabSize(), config.nEmbd());
        wpe = loader.load("wpe.weight", config.nPositions(), config.nEmbd());
        List<Block> blocks = new ArrayList<>();
        long c = config.nEmbd();
        long inner = config.nInner();
        double eps = config.layerNormEpsilon();
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            // Conv1D weights are stored [in, out]; each is kept as a transposed [out, in] view.
            blocks.add(new Block(i,
                    new LayerNormWeights(loader.load(p + "ln_1.weight", c), loader.load(p + "ln_1.bias", c), eps),
                    new CausalSelfAttention(i, config.nHead(),
                            new Conv1D(loader.load(p + "attn.c_attn.weight", c, 3 * c).transpose(), loader.load(p + "attn.c_attn.bias", 3 * c)),
                            new Conv1D(loader.load(p + "attn.c_proj.weight", c, c).transpose(), loader.load(p + "attn.c_proj.bias", c))),
                    new LayerNormWeights(loader.load(p + "ln_2.weight", c), loader.load(p + "ln_2.bias", c), eps),
                    new Mlp(new Conv1D(loader.load(p + "mlp.c_fc.weight", c, inner).transpose(), loader.load(p + "mlp.c_fc.bias", inner)),
                            new Conv1D(loader.load(p + "mlp.c_proj.weight", inner, c).transpose(), loader.load(p + "mlp.c_proj.bias", c)))));
        }
        h = List.copyOf(blocks);
        lnF = new LayerNormWeights(loader.load("ln_f.weight", c), loader.load("ln_f.bias", c), eps);
        tiedUnembedding = !loader.has("lm_head.weight");
        unembedding = tiedUnembedding ? wte : loader.load("lm_head.weight", config.vocabSize(), config.nEmbd());
        bytes = loader.bytes();
        loader.warnUnused();
    }

    /**
     * Loads and checks every weight of {@code config} from {@code files} into a new sub-manager of
     * {@code parent}, held as {@code storage} says. Must run on the model thread.
     */
    public static Gpt2Weights load(CheckpointFiles files, Gpt2Config config, NDManager parent, WeightStorage storage)
            throws ModelException {
        Map<String, String> names;
        try {
            names = CheckpointNames.index(files.names());
        } catch (IllegalArgumentException e) {
            throw new ModelException(files.description() + " " + e.getMessage() + ".");
        }
        NDManager manager = parent.newSubManager();
        try {
            Gpt2Weights weights = new Gpt2Weights(manager, new WeightLoader(files, names, manager, storage, "GPT-2"), config);
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

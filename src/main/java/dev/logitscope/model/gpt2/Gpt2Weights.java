package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.WeightStorage;
import dev.logitscope.safetensors.SafetensorsException;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All weights of a GPT-2 model as float32 NDArrays in one long-lived manager, held as
 * {@link WeightStorage} says. {@code IN_MEMORY}: each tensor is read straight into a tensor that
 * libtorch allocated, so nothing refers to the file afterwards. {@code MAPPED}: F32 tensors wrap
 * their memory mapping without a copy (DJL's {@code create} from a direct buffer references it),
 * so a 3 GB checkpoint is not held twice; mapped arrays are read-only and must never be the
 * target of an in-place op.
 */
public final class Gpt2Weights implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gpt2Weights.class);

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

    private Gpt2Weights(NDManager manager, Loader loader, Gpt2Config config, Map<String, String> names) throws ModelException {
        this.manager = manager;
        this.buffers = loader.buffers;
        this.storage = loader.storage;
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
        tiedUnembedding = !names.containsKey("lm_head.weight");
        unembedding = tiedUnembedding ? wte : loader.load("lm_head.weight", config.vocabSize(), config.nEmbd());
        bytes = loader.bytes;

        Set<String> unused = new HashSet<>(names.keySet());
        unused.removeAll(loader.loaded);
        if (!unused.isEmpty()) {
            LOG.warn("{} tensors in the checkpoint are not GPT-2 weights and were ignored: {}", unused.size(),
                    unused.stream().sorted().limit(5).toList());
        }
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
            Gpt2Weights weights = new Gpt2Weights(manager, new Loader(files, names, manager, storage), config, names);
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

    /** Reads tensors by canonical name, checking each shape against the config. */
    private static final class Loader {
        final CheckpointFiles files;
        final Map<String, String> names;
        final NDManager manager;
        final WeightStorage storage;
        final List<ByteBuffer> buffers = new ArrayList<>();
        final Set<String> loaded = new HashSet<>();
        long bytes;

        Loader(CheckpointFiles files, Map<String, String> names, NDManager manager, WeightStorage storage) {
            this.files = files;
            this.names = names;
            this.manager = manager;
            this.storage = storage;
        }

        NDArray load(String name, long... expectedShape) throws ModelException {
            String stored = names.get(name);
            if (stored == null) {
                throw new ModelException(files.description() + " has no tensor '" + name + "', which a GPT-2 model with this"
                        + " config.json needs. Is the file complete and does config.json belong to it?");
            }
            SafetensorsFile file = files.fileOf(stored);
            try {
                TensorInfo info = file.require(stored);
                if (!Arrays.equals(info.shape(), expectedShape)) {
                    throw new ModelException(file.path() + ": tensor '" + stored + "' has shape "
                            + Arrays.toString(info.shape()) + " but config.json implies " + Arrays.toString(expectedShape)
                            + ". The config and the weights do not belong together.");
                }
                if (!info.dtype().isLoadableAsFloat()) {
                    throw new ModelException(file.path() + ": tensor '" + stored + "' is " + info.dtype()
                            + "; model weights must be F32, F16 or BF16.");
                }
                Shape shape = new Shape(expectedShape);
                NDArray array = storage == WeightStorage.MAPPED ? wrap(file, stored, shape) : read(file, stored, shape);
                loaded.add(name);
                bytes += shape.size() * Float.BYTES;
                return array;
            } catch (SafetensorsException e) {
                throw new ModelException(e.getMessage(), e);
            }
        }

        /** A view of the file's pages (F32) or of a widened copy; the buffer must stay reachable. */
        private NDArray wrap(SafetensorsFile file, String stored, Shape shape) throws SafetensorsException {
            ByteBuffer data = file.float32(stored);
            buffers.add(data);
            return manager.create(data, shape, DataType.FLOAT32);
        }

        /**
         * Reads the tensor into memory libtorch allocated. {@code toByteBuffer(true)} of a
         * contiguous CPU tensor is a view of the tensor's own storage (a test pins this), so the
         * file's bytes land there directly: one copy, no Java buffer and no mapping left behind.
         */
        private NDArray read(SafetensorsFile file, String stored, Shape shape) throws SafetensorsException {
            NDArray array = manager.create(shape, DataType.FLOAT32); // uninitialised, owned by libtorch
            if (shape.size() > 0) {
                file.readFloat32(stored, array.toByteBuffer(true));
            }
            return array;
        }
    }
}

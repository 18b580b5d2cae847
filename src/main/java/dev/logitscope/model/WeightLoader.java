package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.tensors.TensorFile;
import dev.logitscope.tensors.TensorInfo;
import java.io.IOException;
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
 * Reads a family's weights by canonical name from a checkpoint, whatever its format, as float32
 * NDArrays held as {@link WeightStorage} says, checking each shape against what the config implies.
 * {@code IN_MEMORY}: each tensor is read straight into a tensor that libtorch allocated, so nothing
 * refers to the file afterwards. {@code MAPPED}: F32 tensors wrap their memory mapping without a
 * copy (DJL's {@code create} from a direct buffer references it); mapped arrays are read-only and
 * must never be the target of an in-place op. Runs on the model thread.
 */
public final class WeightLoader implements WeightSource {
    private static final Logger LOG = LoggerFactory.getLogger(WeightLoader.class);

    private final CheckpointFiles files;
    private final Map<String, String> storedName;
    private final NDManager manager;
    private final WeightStorage storage;
    private final String family;
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private final Set<String> loaded = new HashSet<>();
    private long bytes;

    /**
     * @param storedName canonical name → name in the files (a family's prefixes and aliases resolved)
     * @param family     the family's name for messages, e.g. {@code GPT-2}
     */
    public WeightLoader(CheckpointFiles files, Map<String, String> storedName, NDManager manager,
            WeightStorage storage, String family) {
        this.files = files;
        this.storedName = Map.copyOf(storedName);
        this.manager = manager;
        this.storage = storage;
        this.family = family;
    }

    /** Whether the checkpoint holds {@code name} (canonical). */
    @Override
    public boolean has(String name) {
        return storedName.containsKey(name);
    }

    /** The shape of {@code name} (canonical) as stored. */
    public long[] storedShape(String name) throws ModelException {
        String stored = require(name);
        try {
            return files.fileOf(stored).require(stored).shape();
        } catch (IOException e) {
            throw new ModelException(e.getMessage(), e);
        }
    }

    /** Loads {@code name} (canonical), which must have exactly {@code expectedShape}. */
    @Override
    public NDArray load(String name, long... expectedShape) throws ModelException {
        String stored = require(name);
        TensorFile file = files.fileOf(stored);
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
        } catch (IOException e) {
            throw new ModelException(e.getMessage(), e);
        }
    }

    /** Logs the checkpoint's tensors that no {@link #load} asked for (a head the family ignores, say). */
    public void warnUnused() {
        Set<String> unused = new HashSet<>(storedName.keySet());
        unused.removeAll(loaded);
        if (!unused.isEmpty()) {
            LOG.warn("{} tensors in the checkpoint are not {} weights and were ignored: {}", unused.size(), family,
                    unused.stream().sorted().limit(5).toList());
        }
    }

    /** Bytes of float32 weight data loaded so far (mapped or in memory). */
    public long bytes() {
        return bytes;
    }

    public WeightStorage storage() {
        return storage;
    }

    /** The buffers mapped arrays wrap; the model must keep them reachable for as long as the arrays live. */
    public List<ByteBuffer> buffers() {
        return buffers;
    }

    private String require(String name) throws ModelException {
        String stored = storedName.get(name);
        if (stored == null) {
            throw new ModelException(files.description() + " has no tensor '" + name + "', which a " + family
                    + " model with this config.json needs. Is the file complete and does config.json belong to it?");
        }
        return stored;
    }

    /** A view of the file's pages (F32) or of a widened copy; the buffer must stay reachable. */
    private NDArray wrap(TensorFile file, String stored, Shape shape) throws IOException {
        ByteBuffer data = file.float32(stored);
        buffers.add(data);
        return manager.create(data, shape, DataType.FLOAT32);
    }

    /**
     * Reads the tensor into memory libtorch allocated. {@code toByteBuffer(true)} of a contiguous
     * CPU tensor is a view of the tensor's own storage (a test pins this), so the file's bytes land
     * there directly: one copy, no Java buffer and no mapping left behind.
     */
    private NDArray read(TensorFile file, String stored, Shape shape) throws IOException {
        NDArray array = manager.create(shape, DataType.FLOAT32); // uninitialised, owned by libtorch
        if (shape.size() > 0) {
            file.readFloat32(stored, array.toByteBuffer(true));
        }
        return array;
    }
}

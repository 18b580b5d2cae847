package dev.logitscope.tensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One open checkpoint file of named tensors, whatever its format (safetensors, or a PyTorch
 * {@code torch.save} file read without running its pickle). Models read their weights through
 * this, so a family never knows the format. Errors are {@link IOException}s whose message names
 * the file and tensor and can be shown to a user as is.
 */
public interface TensorFile extends AutoCloseable {

    /** The file, for messages. */
    Path path();

    /** Every tensor name, in the file's order. */
    List<String> names();

    /**
     * Name, element type and shape of one tensor ({@code begin}/{@code end} are format-specific
     * offsets of its bytes), or empty when the file has no such tensor.
     */
    Optional<TensorInfo> info(String name);

    /** As {@link #info(String)}, with a message naming the file when the tensor is absent. */
    TensorInfo require(String name) throws IOException;

    /**
     * The tensor as float32 values: a direct, read-only, little-endian buffer at position 0 holding
     * exactly elementCount × 4 bytes. It may map the file (F32 stored contiguously), so the file
     * must not change while the buffer is used; F16 and BF16 are widened into new memory.
     */
    ByteBuffer float32(String name) throws IOException;

    /**
     * Reads the tensor as float32 values into {@code target} (exactly elementCount × 4 bytes
     * remaining; position and limit are left as they were), widening 16-bit floats on the way.
     * Plain reads: afterwards the values no longer depend on the file.
     */
    void readFloat32(String name, ByteBuffer target) throws IOException;

    /** A copy of the tensor as float32 values; for small tensors and tests. */
    float[] readFloats(String name) throws IOException;

    @Override
    void close();
}

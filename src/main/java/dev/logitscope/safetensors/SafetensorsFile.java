package dev.logitscope.safetensors;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorFile;
import dev.logitscope.tensors.TensorInfo;
import dev.logitscope.tensors.HalfFloats;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A safetensors file opened for reading: an 8-byte little-endian header length, a JSON header,
 * then the raw little-endian tensor data.
 *
 * <p>The whole header is checked in {@link #open}, so every later read stays inside the file. Data
 * is not read at open: {@link #float32} maps one tensor at a time, because a whole checkpoint can
 * exceed the 2 GB one mapping can hold, and a per-tensor mapping lets the weights live in the page
 * cache instead of the Java heap. A mapping reads the file as it is <em>now</em>: if the file is
 * truncated, touching the mapping kills the process (SIGBUS). For a file that may be rewritten,
 * {@link #readFloat32} copies a tensor into memory the caller owns instead.
 */
public final class SafetensorsFile implements TensorFile {

    /** The reference implementation's limit; a larger header means a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** One mapping or direct buffer is indexed by int. */
    static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE;

    private static final int CONVERT_CHUNK = 8192;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<String> names;
    private final Map<String, TensorInfo> byName;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, String> metadata,
            List<TensorInfo> tensors) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = metadata;
        Map<String, TensorInfo> map = new LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.name(), t));
        this.byName = map;
        this.names = tensors.stream().map(TensorInfo::name).toList();
    }

    /** Opens the file read-only and checks its header; the channel stays open until {@link #close}. */
    public static SafetensorsFile open(Path file) throws SafetensorsException {
        if (Files.isDirectory(file)) {
            throw new SafetensorsException(file, "is a folder, not a safetensors file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new SafetensorsException(file, "permission denied. Make the file readable (chmod a+r) or run as"
                    + " a user who may read it.", e);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot open: " + e.getMessage(), e);
        }
        try {
            return readHeader(file, channel);
        } catch (SafetensorsException | RuntimeException | Error e) {
            closeQuietly(channel, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new SafetensorsException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsException(file, "file is " + fileSize
                    + " bytes long, too short for a safetensors file (the header length alone takes 8)");
        }
        long headerLength = readFully(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength == 0) {
            throw new SafetensorsException(file, "header length is 0; this is not a safetensors file");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " bytes exceeds the limit of " + MAX_HEADER_BYTES
                    + " bytes; the file is corrupt or not a safetensors file");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsException(file, "header length " + headerLength + " bytes is more than the "
                    + (fileSize - 8) + " bytes that follow it; the file is truncated or corrupt");
        }
        byte[] headerBytes = readFully(file, channel, 8, (int) headerLength).array();
        HeaderParser.Header header = HeaderParser.parse(file, headerBytes);
        long dataStart = 8 + headerLength;
        List<TensorInfo> tensors = DataLayout.check(file, header.tensors(), fileSize - dataStart);
        return new SafetensorsFile(file, channel, dataStart, header.metadata(), tensors);
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new SafetensorsException(file, "file ended while reading its header (was it truncated?)");
            }
        }
        return buffer.flip();
    }

    private static void closeQuietly(FileChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    public Path path() {
        return path;
    }

    /** The header's "__metadata__" strings, in file order; empty if there are none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in the order of their data in the file. */
    public List<String> names() {
        return names;
    }

    public Optional<TensorInfo> info(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public TensorInfo require(String name) throws SafetensorsException {
        TensorInfo info = byName.get(name);
        if (info == null) {
            throw new SafetensorsException(path, name, "not in this file (it holds " + names.size()
                    + " tensors" + sampleNames() + ")");
        }
        return info;
    }

    private String sampleNames() {
        if (names.isEmpty()) {
            return "";
        }
        String sample = names.stream().limit(5).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return ": " + sample + (names.size() > 5 ? ", ..." : "");
    }

    /**
     * The tensor as float32 values: a direct, read-only, little-endian buffer at position 0 holding
     * exactly elementCount * 4 bytes. F32 data is a mapping of the file (no copy); F16 and BF16 are
     * widened into a newly allocated direct buffer. Other dtypes are refused.
     */
    public ByteBuffer float32(String name) throws SafetensorsException {
        TensorInfo info = require(name);
        if (!info.dtype().isLoadableAsFloat()) {
            throw new SafetensorsException(path, name, "dtype " + info.dtype()
                    + " cannot be read as float32 (only F32, F16 and BF16 can)");
        }
        long count = info.elementCount(); // cannot overflow: checked at open
        if (count > MAX_BUFFER_BYTES / Float.BYTES) {
            throw new SafetensorsException(path, name, info.dtype() + " " + info.shapeText() + " needs "
                    + BigInteger.valueOf(count).multiply(BigInteger.valueOf(Float.BYTES))
                    + " bytes as float32, more than the " + MAX_BUFFER_BYTES + " bytes (2 GB) one buffer can hold");
        }
        if (count == 0) {
            return ByteBuffer.allocateDirect(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer data = map(info);
        if (info.dtype() == DType.F32 && (dataStart + info.begin()) % Float.BYTES == 0) {
            return data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (info.dtype() == DType.F32) {
            // Data not on a 4-byte boundary (an odd header length): native code expects aligned
            // floats, so copy into fresh memory instead of wrapping the mapping.
            ByteBuffer aligned = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            aligned.put(data.slice()).flip();
            return aligned.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        return widen(info, data, (int) count);
    }

    /**
     * Reads the tensor as float32 values into {@code target}, which must have exactly
     * elementCount * 4 bytes remaining; F16 and BF16 are widened on the way. Plain reads, no
     * mapping: once this returns, the values do not depend on the file any more, so it may be
     * rewritten or deleted. Values are written little-endian, the order of the file and of every
     * platform libtorch runs on. {@code target}'s position and limit are left as they were.
     */
    public void readFloat32(String name, ByteBuffer target) throws SafetensorsException {
        TensorInfo info = require(name);
        if (!info.dtype().isLoadableAsFloat()) {
            throw new SafetensorsException(path, name, "dtype " + info.dtype()
                    + " cannot be read as float32 (only F32, F16 and BF16 can)");
        }
        long count = info.elementCount(); // cannot overflow: checked at open
        if (target.remaining() != count * Float.BYTES) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + count * Float.BYTES
                    + " bytes as float32, the target has " + target.remaining());
        }
        if (count == 0) {
            return;
        }
        if (!channel.isOpen()) {
            throw new SafetensorsException(path, name, "cannot be read: the file has been closed");
        }
        ByteBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (info.dtype() == DType.F32) {
                readAt(info, dataStart + info.begin(), out);
            } else {
                widenInto(info, out);
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsException(path, name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Fills {@code buffer} from {@code position}; a file that ends first has been cut since it was opened. */
    private void readAt(TensorInfo info, long position, ByteBuffer buffer) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new SafetensorsException(path, info.name(), "cannot be read: the file has become shorter"
                        + " since it was opened (is it being rewritten?)");
            }
            at += n;
        }
    }

    /** Reads 16-bit floats a chunk at a time and writes them widened into {@code out}. */
    private void widenInto(TensorInfo info, ByteBuffer out) throws IOException {
        boolean bf16 = info.dtype() == DType.BF16;
        ByteBuffer raw = ByteBuffer.allocate(CONVERT_CHUNK * 2).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer dst = out.asFloatBuffer();
        long position = dataStart + info.begin();
        long left = info.byteSize();
        while (left > 0) {
            raw.clear().limit((int) Math.min(raw.capacity(), left));
            readAt(info, position, raw);
            raw.flip();
            position += raw.remaining();
            left -= raw.remaining();
            while (raw.hasRemaining()) {
                short half = raw.getShort();
                dst.put(bf16 ? HalfFloats.bfloat16ToFloat(half) : HalfFloats.halfToFloat(half));
            }
        }
    }

    /** A copy of the tensor as float32 values; meant for small tensors and tests. */
    public float[] readFloats(String name) throws SafetensorsException {
        FloatBuffer values = float32(name).asFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
    }

    private ByteBuffer map(TensorInfo info) throws SafetensorsException {
        if (!channel.isOpen()) {
            throw new SafetensorsException(path, info.name(), "cannot be read: the file has been closed");
        }
        try {
            // Touching a mapped page past the end of a file that shrank would fault, so check first.
            if (channel.size() < dataStart + info.end()) {
                throw new SafetensorsException(path, info.name(),
                        "cannot be read: the file has become shorter since it was opened");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsException(path, info.name(), "cannot be mapped: " + e.getMessage(), e);
        }
    }

    /** Converts 16-bit floats to float32 in chunks, so no second heap copy of the tensor is made. */
    private ByteBuffer widen(TensorInfo info, ByteBuffer data, int count) throws SafetensorsException {
        ByteBuffer out;
        try {
            out = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new SafetensorsException(path, info.name(),
                    "not enough memory to convert " + count + " values to float32 (raise -XX:MaxDirectMemorySize?)", e);
        }
        ShortBuffer src = data.asShortBuffer();
        FloatBuffer dst = out.asFloatBuffer();
        short[] halves = new short[Math.min(count, CONVERT_CHUNK)];
        float[] floats = new float[halves.length];
        boolean bf16 = info.dtype() == DType.BF16;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), halves.length);
            src.get(halves, 0, n);
            for (int i = 0; i < n; i++) {
                floats[i] = bf16 ? HalfFloats.bfloat16ToFloat(halves[i]) : HalfFloats.halfToFloat(halves[i]);
            }
            dst.put(floats, 0, n);
        }
        return out.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Closes the channel. Buffers already returned stay valid; a mapping lives until it is collected. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written, so there is nothing to lose; the descriptor is released anyway.
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
    }
}

package dev.logitscope.torchfile;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.HalfFloats;
import dev.logitscope.tensors.TensorFile;
import dev.logitscope.tensors.TensorInfo;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * A PyTorch checkpoint written by {@code torch.save} (the zip format of torch ≥ 1.6, e.g. a
 * {@code pytorch_model.bin} or a tuned lens's {@code params.pt}) holding a flat state dict, read
 * without running its pickle.
 *
 * <p>The zip holds, under one folder ({@code <archive>/}): {@code data.pkl}, the pickled dict
 * whose tensors are {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}
 * calls on persistent ids {@code ('storage', torch.FloatStorage, key, location, numel)};
 * {@code data/<key>}, each storage's raw little-endian bytes, stored uncompressed and 64-byte
 * aligned; {@code byteorder}; {@code version}. {@link PickleReader} reads the pickle with an
 * allow-list of globals, so a file that would run code is refused by the global it names.
 *
 * <p>Everything is checked in {@link #open}: every tensor reads inside its storage and every
 * storage inside the file. Like {@code SafetensorsFile}, {@link #float32} maps a contiguous F32
 * tensor without a copy (the same caveat: a mapping reads the file as it is now) and widens F16
 * and BF16; {@link #readFloat32} reads plainly. A non-contiguous tensor (a transposed view saved
 * as is) is copied element by element along its strides. Tensors may share a storage (tied
 * weights). {@link TensorInfo#begin()}/{@code end()} are the absolute file offsets of the bytes a
 * tensor reads: exactly its data when it is contiguous.
 */
public final class TorchCheckpointFile implements TensorFile {

    /** The largest data.pkl read: a state dict needs about 200 bytes per tensor. */
    static final long MAX_PICKLE_BYTES = 64_000_000L;

    /** One mapping or direct buffer is indexed by int. */
    static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE;

    private static final int CONVERT_CHUNK = 8192;
    /** The message of the safety net in {@link #open}; tests look for it to catch a check that is missing. */
    static final String INCONSISTENT = "cannot be read: its contents are inconsistent";
    /** What a legacy (PyTorch < 1.6) torch.save file starts with: PROTO 2, then LONG1 of torch's magic number. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c,
        0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    /** Where a tensor's values are: its storage's bytes in the file and the view on them. */
    private record Stored(TensorInfo info, long[] stride, boolean contiguous) {}

    private final Path path;
    private final FileChannel channel;
    private final List<String> names;
    private final Map<String, Stored> byName;

    private TorchCheckpointFile(Path path, FileChannel channel, Map<String, Stored> byName) {
        this.path = path;
        this.channel = channel;
        this.byName = byName;
        this.names = List.copyOf(byName.keySet());
    }

    /**
     * Whether {@code file} starts like a torch.save file of either format (a zip archive, or the
     * legacy format's pickled magic number), so a caller picks this reader by content rather than by
     * file name. A single 0x80 byte is not enough: a safetensors header length can begin with it.
     */
    public static boolean looksLikeTorchSave(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer start = ByteBuffer.allocate(4);
            while (start.hasRemaining() && channel.read(start) >= 0) {
                // fill
            }
            byte[] b = start.array();
            if (start.position() == 4 && isZip(b)) {
                return true;
            }
            ByteBuffer magic = ByteBuffer.allocate(LEGACY_MAGIC.length);
            while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0) {
                // fill
            }
            return java.util.Arrays.equals(magic.array(), LEGACY_MAGIC);
        } catch (IOException e) {
            return false; // the reader chosen instead reports the problem
        }
    }

    /** Opens the file read-only and checks everything in it; the channel stays open until {@link #close}. */
    public static TorchCheckpointFile open(Path file) throws TorchFileException {
        if (Files.isDirectory(file)) {
            throw new TorchFileException(file, "is a folder, not a PyTorch checkpoint file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new TorchFileException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new TorchFileException(file, "permission denied. Make the file readable (chmod a+r) or run as"
                    + " a user who may read it.", e);
        } catch (IOException e) {
            throw new TorchFileException(file, "cannot open: " + e.getMessage(), e);
        }
        try {
            return read(file, channel);
        } catch (TorchFileException | Error e) {
            closeQuietly(channel, e);
            throw e;
        } catch (RuntimeException e) {
            // Every check above should have caught a bad file first; if one slipped through, the user
            // still gets one message rather than a stack trace.
            closeQuietly(channel, e);
            throw new TorchFileException(file, INCONSISTENT + " (" + e + "). Download or save it again.", e);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new TorchFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static TorchCheckpointFile read(Path file, FileChannel channel) throws IOException {
        checkFormat(file, channel);
        ZipDirectory zip = ZipDirectory.read(file, channel);
        List<String> records = zip.names();
        if (records.isEmpty()) {
            throw new TorchFileException(file, "is an empty zip archive, not a torch.save checkpoint");
        }
        // As torch does: the folder of the first record is the archive's; every record is looked up in it.
        int slash = records.get(0).indexOf('/');
        if (slash <= 0) {
            throw notTorchSave(file, "its first record '" + records.get(0) + "' is not in a folder");
        }
        String prefix = records.get(0).substring(0, slash + 1);
        checkByteOrder(file, channel, zip, prefix);
        String pickleName = prefix + "data.pkl";
        ZipDirectory.Entry pickleEntry = zip.find(pickleName)
                .orElseThrow(() -> notTorchSave(file, "it has no " + pickleName));
        byte[] pickle = readPickle(file, channel, zip, pickleEntry);
        Object root = PickleReader.read(file, pickleName, pickle);
        Map<String, Pickled.Tensor> tensors = StateDict.tensors(file, pickleName, root);

        Map<String, Long> storageStart = new HashMap<>();
        Map<String, Stored> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Pickled.Tensor> e : tensors.entrySet()) {
            Pickled.Tensor t = e.getValue();
            Pickled.Storage storage = t.storage();
            Long start = storageStart.get(storage.key());
            if (start == null) {
                start = storageData(file, zip, prefix, storage);
                storageStart.put(storage.key(), start);
            }
            byName.put(e.getKey(), stored(e.getKey(), t, start));
        }
        return new TorchCheckpointFile(file, channel, byName);
    }

    /** Refuses, with what to do, everything that is not a torch.save zip: the legacy format above all. */
    private static void checkFormat(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        byte[] start = ZipDirectory.readAt(file, channel, 0, (int) Math.min(size, LEGACY_MAGIC.length)).array();
        if (start.length >= 4 && isZip(start)) {
            return;
        }
        boolean legacy = java.util.Arrays.equals(start, LEGACY_MAGIC);
        if (!legacy && start.length >= 9 && start[8] == '{') { // an 8-byte header length, then JSON
            throw new TorchFileException(file, "is a safetensors file, not a torch.save zip; name it model.safetensors");
        }
        if (start.length >= 8 && new String(start, 0, 8, StandardCharsets.ISO_8859_1).equals("PYTORCH1")) {
            throw new TorchFileException(file, "is in the format of the PyTorch 1.0 preview release, which is not read."
                    + " Re-save it with a current torch, or convert it to safetensors.");
        }
        if (legacy || start.length > 0 && (start[0] & 0xff) == 0x80) {
            throw new TorchFileException(file, (legacy ? "is a torch.save file in the legacy format of PyTorch before 1.6"
                    : "is a bare pickle (the legacy torch.save format of PyTorch before 1.6?)")
                    + ", not the zip format this reader reads. If you trust the file, re-save it with a current torch"
                    + " (torch.save(torch.load(f), f)), or convert it to safetensors.");
        }
        throw notTorchSave(file, size == 0 ? "it is empty" : "it is not a zip archive");
    }

    private static boolean isZip(byte[] start) {
        return start[0] == 'P' && start[1] == 'K' && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));
    }

    private static TorchFileException notTorchSave(Path file, String why) {
        return new TorchFileException(file, "is not a PyTorch checkpoint written by torch.save: " + why
                + ". Pass a pytorch_model.bin, or the model's safetensors file.");
    }

    /** A missing {@code byteorder} means little-endian, as torch assumes for files written before it existed. */
    private static void checkByteOrder(Path file, FileChannel channel, ZipDirectory zip, String prefix) throws IOException {
        Optional<ZipDirectory.Entry> entry = zip.find(prefix + "byteorder");
        if (entry.isEmpty()) {
            return;
        }
        ZipDirectory.Entry e = entry.get();
        requireStored(file, e);
        String order = "";
        if (e.size() <= 16) {
            long at = zip.dataOffset(e);
            order = new String(ZipDirectory.readAt(file, channel, at, (int) e.size()).array(), StandardCharsets.ISO_8859_1);
        }
        if (order.equals("big")) {
            throw new TorchFileException(file, "was saved on a big-endian machine; only little-endian checkpoints are read."
                    + " Re-save it on a little-endian machine (x86, ARM), or convert it to safetensors.");
        }
        if (!order.equals("little")) {
            throw new TorchFileException(file, "its byteorder record is neither 'little' nor 'big'; the file is damaged");
        }
    }

    private static byte[] readPickle(Path file, FileChannel channel, ZipDirectory zip, ZipDirectory.Entry entry)
            throws IOException {
        requireStored(file, entry);
        if (entry.size() > MAX_PICKLE_BYTES) {
            throw new TorchFileException(file, entry.name() + " is " + entry.size() + " bytes, more than the limit of "
                    + MAX_PICKLE_BYTES + "; it is not a state dict torch.save wrote");
        }
        long at = zip.dataOffset(entry); // checks the bytes are inside the file before they are allocated
        byte[] pickle = ZipDirectory.readAt(file, channel, at, (int) entry.size()).array();
        CRC32 crc = new CRC32();
        crc.update(pickle);
        if (crc.getValue() != entry.crc32()) {
            throw new TorchFileException(file, entry.name() + " fails its CRC-32 check; the file is damaged."
                    + " Download or save it again.");
        }
        return pickle;
    }

    private static void requireStored(Path file, ZipDirectory.Entry entry) throws TorchFileException {
        if (entry.stored() && entry.compressedSize() != entry.size()) {
            throw new TorchFileException(file, "record " + entry.name() + " is stored uncompressed but its zip directory"
                    + " gives two different sizes (" + entry.compressedSize() + " and " + entry.size()
                    + "); the file is damaged. Download or save it again.");
        }
        if (!entry.stored()) {
            throw new TorchFileException(file, "record " + entry.name() + " is compressed (zip method " + entry.method()
                    + "); torch.save stores every record uncompressed, so the file was re-packed by another tool."
                    + " Re-save it with torch.save, or convert it to safetensors.");
        }
    }

    /** Where storage {@code data/<key>} starts in the file, after checking it holds exactly numel elements. */
    private static long storageData(Path file, ZipDirectory zip, String prefix, Pickled.Storage storage) throws IOException {
        String name = prefix + "data/" + storage.key();
        ZipDirectory.Entry entry = zip.find(name).orElseThrow(() -> new TorchFileException(file, "the state dict"
                + " refers to storage '" + storage.key() + "' but the archive has no record " + name
                + "; the file is incomplete or damaged"));
        requireStored(file, entry);
        long needed = storage.numel() * storage.dtype().byteSize(); // cannot overflow: checked by Rebuild
        if (entry.size() != needed) {
            throw new TorchFileException(file, "record " + name + " holds " + entry.size() + " bytes but its storage of "
                    + storage.numel() + " " + storage.dtype() + " elements needs " + needed + "; the file is damaged");
        }
        return zip.dataOffset(entry);
    }

    private static Stored stored(String name, Pickled.Tensor t, long storageStart) {
        int size = t.storage().dtype().byteSize();
        long[] shape = t.shape();
        long[] stride = t.stride();
        long count = 1;
        for (long dim : shape) {
            count *= dim; // cannot overflow: checked by Rebuild
        }
        if (count == 0) { // reads nothing, whatever its offset says
            return new Stored(new TensorInfo(name, t.storage().dtype(), shape, storageStart, storageStart), stride, true);
        }
        long span = 1;
        for (int i = 0; i < shape.length; i++) {
            span += (shape[i] - 1) * stride[i];
        }
        long begin = storageStart + t.offset() * size; // inside the storage: checked by Rebuild
        TensorInfo info = new TensorInfo(name, t.storage().dtype(), shape, begin, begin + span * size);
        return new Stored(info, stride, isContiguous(shape, stride));
    }

    /** torch's is_contiguous: row-major strides, ignoring those of dimensions of size 1. */
    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    private static void closeQuietly(FileChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    /** Tensor names in the state dict's order. */
    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        return Optional.ofNullable(byName.get(name)).map(Stored::info);
    }

    /** The strides (in elements) of a tensor as saved; row-major for a contiguous one. */
    public long[] stride(String name) throws TorchFileException {
        return stored(name).stride().clone();
    }

    @Override
    public TensorInfo require(String name) throws TorchFileException {
        return stored(name).info();
    }

    private Stored stored(String name) throws TorchFileException {
        Stored stored = byName.get(name);
        if (stored == null) {
            String sample = names.stream().limit(5).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
            throw new TorchFileException(path, name, "not in this file (it holds " + names.size() + " tensors"
                    + (names.isEmpty() ? "" : ": " + sample + (names.size() > 5 ? ", ..." : "")) + ")");
        }
        return stored;
    }

    /**
     * The tensor as float32 values: a direct, read-only, little-endian buffer at position 0 holding
     * exactly elementCount × 4 bytes. A contiguous F32 tensor is a mapping of the file (no copy);
     * F16, BF16 and non-contiguous tensors are converted into new memory. Other dtypes are refused.
     */
    @Override
    public ByteBuffer float32(String name) throws TorchFileException {
        Stored s = stored(name);
        TensorInfo info = s.info();
        int count = floatCount(s);
        if (count == 0) {
            return ByteBuffer.allocateDirect(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer data = map(info);
        if (info.dtype() == DType.F32 && s.contiguous() && info.begin() % Float.BYTES == 0) {
            return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer out = allocate(info, count * Float.BYTES);
        gather(s, data, out.asFloatBuffer());
        return out.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads the tensor as float32 values into {@code target}, which must have exactly
     * elementCount × 4 bytes remaining; position and limit are left as they were. Plain reads, no
     * mapping: afterwards the values do not depend on the file.
     */
    @Override
    public void readFloat32(String name, ByteBuffer target) throws TorchFileException {
        Stored s = stored(name);
        TensorInfo info = s.info();
        int count = floatCount(s);
        if (target.remaining() != (long) count * Float.BYTES) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + (long) count * Float.BYTES
                    + " bytes as float32, the target has " + target.remaining());
        }
        if (count == 0) {
            return;
        }
        requireOpen(info);
        ByteBuffer out = target.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (info.dtype() == DType.F32 && s.contiguous()) {
                readAt(info, info.begin(), out);
            } else if (s.contiguous()) {
                widenInto(info, out);
            } else {
                ByteBuffer span = allocate(info, (int) info.byteSize()); // the view's bytes, gathered from below
                readAt(info, info.begin(), span);
                gather(s, span.flip(), out.asFloatBuffer());
            }
        } catch (TorchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TorchFileException(path, name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** A copy of the tensor as float32 values; meant for small tensors and tests. */
    @Override
    public float[] readFloats(String name) throws TorchFileException {
        FloatBuffer values = float32(name).asFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
    }

    /** The element count, after checking the dtype converts and the result fits one buffer. */
    private int floatCount(Stored s) throws TorchFileException {
        TensorInfo info = s.info();
        if (!info.dtype().isLoadableAsFloat()) {
            throw new TorchFileException(path, info.name(), "dtype " + info.dtype()
                    + " cannot be read as float32 (only F32, F16 and BF16 can)");
        }
        long count = info.elementCount(); // cannot overflow: checked at open
        if (count > MAX_BUFFER_BYTES / Float.BYTES || info.byteSize() > MAX_BUFFER_BYTES) {
            throw new TorchFileException(path, info.name(), info.dtype() + " " + info.shapeText() + " needs "
                    + BigInteger.valueOf(Math.max(count * Float.BYTES, info.byteSize()))
                    + " bytes in one buffer, more than the " + MAX_BUFFER_BYTES + " bytes (2 GB) one buffer can hold");
        }
        return (int) count;
    }

    /** {@code bytes} of new direct memory; never more than the file holds for the tensor, or its float32 size. */
    private ByteBuffer allocate(TensorInfo info, int bytes) throws TorchFileException {
        try {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new TorchFileException(path, info.name(), "not enough memory for " + bytes
                    + " bytes to convert it to float32 (raise -XX:MaxDirectMemorySize?)", e);
        }
    }

    /**
     * Copies the view into {@code out} in row-major order: element (i_0 … i_n) is at
     * Σ i_k · stride_k elements from the view's first one, where {@code span} begins.
     */
    private static void gather(Stored s, ByteBuffer span, FloatBuffer out) {
        long[] shape = s.info().shape();
        long[] stride = s.stride();
        DType dtype = s.info().dtype();
        int size = dtype.byteSize();
        ByteBuffer in = span.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dims = shape.length;
        if (dims == 0) {
            out.put(element(in, 0, dtype));
            return;
        }
        long inner = shape[dims - 1];
        long innerStride = stride[dims - 1];
        long outer = s.info().elementCount() / inner;
        long[] index = new long[dims - 1];
        long base = 0; // Σ index_k · stride_k over the outer dimensions
        for (long o = 0; o < outer; o++) {
            for (long j = 0; j < inner; j++) {
                out.put(element(in, (int) ((base + j * innerStride) * size), dtype));
            }
            for (int d = dims - 2; d >= 0; d--) {
                index[d]++;
                base += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                base -= index[d] * stride[d];
                index[d] = 0;
            }
        }
    }

    private static float element(ByteBuffer in, int at, DType dtype) {
        return switch (dtype) {
            case F32 -> in.getFloat(at);
            case F16 -> HalfFloats.halfToFloat(in.getShort(at));
            case BF16 -> HalfFloats.bfloat16ToFloat(in.getShort(at));
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        };
    }

    /** Reads contiguous 16-bit floats a chunk at a time and writes them widened into {@code out}. */
    private void widenInto(TensorInfo info, ByteBuffer out) throws IOException {
        boolean bf16 = info.dtype() == DType.BF16;
        ByteBuffer raw = ByteBuffer.allocate(CONVERT_CHUNK * 2).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer dst = out.asFloatBuffer();
        long position = info.begin();
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

    /** Fills {@code buffer} from {@code position}; a file that ends first has been cut since it was opened. */
    private void readAt(TensorInfo info, long position, ByteBuffer buffer) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new TorchFileException(path, info.name(), "cannot be read: the file has become shorter"
                        + " since it was opened (is it being rewritten?)");
            }
            at += n;
        }
    }

    private void requireOpen(TensorInfo info) throws TorchFileException {
        if (!channel.isOpen()) {
            throw new TorchFileException(path, info.name(), "cannot be read: the file has been closed");
        }
    }

    private ByteBuffer map(TensorInfo info) throws TorchFileException {
        requireOpen(info);
        try {
            // Touching a mapped page past the end of a file that shrank would fault, so check first.
            if (channel.size() < info.end()) {
                throw new TorchFileException(path, info.name(), "cannot be read: the file has become shorter since it was opened");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, info.begin(), info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (TorchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TorchFileException(path, info.name(), "cannot be mapped: " + e.getMessage(), e);
        }
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
        return "TorchCheckpointFile[" + path + ", " + names.size() + " tensors]";
    }
}

package dev.logitscope.testing;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.HalfFloats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes a state dict as {@code torch.save} does (the zip format of torch ≥ 1.6), for tests: the
 * same records, the same pickle (protocol 2, the opcodes and memo indices CPython's pickler emits
 * for torch's reduce of a tensor) and the same zip layout as torch's miniz writer (STORED records,
 * local headers without sizes, a data descriptor after each record, every record's data 64-byte
 * aligned by an {@code FB} extra field of {@code Z}s, a zip64 end record). Checked against torch:
 * {@code torch.load} reads what this writes, and with {@link #torch113Records} the file is
 * byte-for-byte what torch 1.13 writes for the same dict.
 *
 * <pre>{@code
 * TorchCheckpointWriter.write(Map.of("w", TensorSpec.of(DType.F16, new long[] {2, 3}, values)), dir.resolve("pytorch_model.bin"));
 * new TorchCheckpointWriter().add("wte.weight", spec).view("lm_head.weight", "wte.weight", 0, shape, stride).write(file);
 * }</pre>
 *
 * <p>Hostile variants: {@link #replacePickle}, {@link #replaceRecord}, {@link #omitRecord} and
 * views whose offsets and strides are not checked here.
 */
public final class TorchCheckpointWriter {

    /** A tensor with its own storage: float32 values stored as {@code dtype} (F32, F16 or BF16), row-major. */
    public record TensorSpec(DType dtype, long[] shape, float[] values) {
        public TensorSpec {
            if (!dtype.isLoadableAsFloat()) {
                throw new IllegalArgumentException("F32, F16 or BF16, not " + dtype);
            }
            long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (count != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " values, got "
                        + values.length);
            }
            shape = shape.clone();
        }

        public static TensorSpec of(DType dtype, long[] shape, float[] values) {
            return new TensorSpec(dtype, shape, values);
        }

        public static TensorSpec f32(long[] shape, float[] values) {
            return new TensorSpec(DType.F32, shape, values);
        }
    }

    /** A storage: record {@code data/<key>}. Java identity stands for Python's (the key string is memoized once). */
    private static final class Storage {
        final String key;
        final DType dtype;
        final float[] values;

        Storage(String key, DType dtype, float[] values) {
            this.key = key;
            this.dtype = dtype;
            this.values = values;
        }
    }

    /** One tensor object of the dict: a view of a storage. */
    private record Tensor(Storage storage, long offset, long[] shape, long[] stride) {}

    private static final String STORAGE = "storage";
    private static final String LOCATION = "cpu";
    private static final String VERSION = "version";
    private static final String METADATA = "_metadata";
    private static final int BATCH = 1000; // pickle's _BATCHSIZE

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final List<Storage> storages = new ArrayList<>();
    private final Map<String, byte[]> replaced = new LinkedHashMap<>();
    private final List<String> omitted = new ArrayList<>();
    private Map<String, Integer> moduleMetadata = null;
    private boolean orderedDict = true;
    private boolean torch113 = false;
    private String archiveName = null;
    private byte[] pickle = null;

    /** Writes {@code tensors} (each its own storage) as torch.save(OrderedDict(tensors), file) does. */
    public static void write(Map<String, TensorSpec> tensors, Path file) throws IOException {
        TorchCheckpointWriter writer = new TorchCheckpointWriter();
        tensors.forEach(writer::add);
        writer.write(file);
    }

    /** A tensor with a storage of its own. */
    public TorchCheckpointWriter add(String name, TensorSpec spec) {
        Storage storage = new Storage(String.valueOf(storages.size()), spec.dtype(), spec.values().clone());
        storages.add(storage);
        tensors.put(name, new Tensor(storage, 0, spec.shape(), contiguousStride(spec.shape())));
        return this;
    }

    public TorchCheckpointWriter add(String name, DType dtype, long[] shape, float[] values) {
        return add(name, TensorSpec.of(dtype, shape, values));
    }

    /**
     * Another tensor object on the storage of {@code storageOf} (as tied weights are in a
     * state_dict()): {@code shape} with {@code stride} from element {@code offset}. Not checked, so
     * a test can point it outside the storage.
     */
    public TorchCheckpointWriter view(String name, String storageOf, long offset, long[] shape, long[] stride) {
        Tensor base = tensors.get(storageOf);
        if (base == null) {
            throw new IllegalArgumentException("no tensor " + storageOf);
        }
        tensors.put(name, new Tensor(base.storage(), offset, shape.clone(), stride.clone()));
        return this;
    }

    /** The very same tensor object under a second name (pickled as a memo reference). */
    public TorchCheckpointWriter sameTensor(String name, String as) {
        Tensor t = tensors.get(as);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + as);
        }
        tensors.put(name, t);
        return this;
    }

    /** An OrderedDict (default, as state_dict() returns) or a plain dict (as transformers' shards are). */
    public TorchCheckpointWriter orderedDict(boolean on) {
        this.orderedDict = on;
        return this;
    }

    /**
     * The {@code _metadata} attribute nn.Module.state_dict() sets: module prefix ({@code ""} for the
     * root, e.g. {@code "h.0.ln_1"}) → version. Implies an OrderedDict.
     */
    public TorchCheckpointWriter moduleMetadata(Map<String, Integer> versions) {
        this.moduleMetadata = new LinkedHashMap<>(versions);
        this.orderedDict = true;
        return this;
    }

    /** The folder inside the zip; by default, as torch names it, the file name without its extension. */
    public TorchCheckpointWriter archiveName(String name) {
        this.archiveName = name;
        return this;
    }

    /**
     * The records of torch 1.13 (data.pkl, data/ in sorted key order, version) instead of those of
     * current torch (data.pkl, .format_version, .storage_alignment, byteorder, data/ in order,
     * version, .data/serialization_id).
     */
    public TorchCheckpointWriter torch113Records(boolean on) {
        this.torch113 = on;
        return this;
    }

    /** Writes {@code pickle} as data.pkl instead of the state dict's (a crafted pickle). */
    public TorchCheckpointWriter replacePickle(byte[] pickle) {
        this.pickle = pickle.clone();
        return this;
    }

    /** Writes {@code bytes} as record {@code name} (relative to the archive folder, e.g. {@code data/0}). */
    public TorchCheckpointWriter replaceRecord(String name, byte[] bytes) {
        replaced.put(name, bytes.clone());
        return this;
    }

    /** Leaves record {@code name} (e.g. {@code data/1}) out. */
    public TorchCheckpointWriter omitRecord(String name) {
        omitted.add(name);
        return this;
    }

    /** The data.pkl this writer writes. */
    public byte[] pickle() {
        return pickle != null ? pickle.clone() : new Pickler().stateDict();
    }

    public void write(Path file) throws IOException {
        String archive = archiveName != null ? archiveName : baseName(file);
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", pickle());
        List<Storage> used = usedStorages();
        if (torch113) {
            Map<String, Storage> sorted = new TreeMap<>(); // Python's sorted() of the string keys
            used.forEach(s -> sorted.put(s.key, s));
            sorted.values().forEach(s -> records.put("data/" + s.key, bytes(s)));
            records.put("version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            records.put(".format_version", "1".getBytes(StandardCharsets.US_ASCII));
            records.put(".storage_alignment", "64".getBytes(StandardCharsets.US_ASCII));
            records.put("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            used.forEach(s -> records.put("data/" + s.key, bytes(s)));
            records.put("version", "3\n".getBytes(StandardCharsets.US_ASCII));
            records.put(".data/serialization_id", serializationId(records).getBytes(StandardCharsets.US_ASCII));
        }
        records.putAll(replaced);
        omitted.forEach(records::remove);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, zip(archive, records));
    }

    /** Storages in the order the pickle first meets them (torch's persistent_id numbers them so). */
    private List<Storage> usedStorages() {
        List<Storage> used = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            if (!used.contains(t.storage())) {
                used.add(t.storage());
            }
        }
        return used;
    }

    private static byte[] bytes(Storage s) {
        ByteBuffer buf = ByteBuffer.allocate(s.values.length * s.dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : s.values) {
            switch (s.dtype) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(HalfFloats.floatToHalf(v));
                case BF16 -> buf.putShort(HalfFloats.floatToBfloat16(v));
                default -> throw new IllegalStateException(s.dtype.name());
            }
        }
        return buf.array();
    }

    private static String storageType(DType dtype) {
        return switch (dtype) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            default -> throw new IllegalStateException(dtype.name());
        };
    }

    static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return stride;
    }

    /** As torch's PyTorchStreamWriter names the archive: the file name up to its last dot. */
    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** 20 + 20 digits as torch writes them; torch's are hashes of the record names and CRCs, these a stand-in. */
    private static String serializationId(Map<String, byte[]> records) {
        CRC32 crc = new CRC32();
        records.forEach((name, data) -> {
            crc.update(name.getBytes(StandardCharsets.UTF_8));
            crc.update(data);
        });
        return String.format("%020d%020d", records.size(), crc.getValue());
    }

    /** CPython's pickler (protocol 2) on torch's reduce of the state dict, with its memo. */
    private final class Pickler {
        private final PickleBytes out = new PickleBytes();
        private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
        private final Map<String, Object> globals = new LinkedHashMap<>();

        byte[] stateDict() {
            out.proto(2);
            Object root = new Object();
            if (orderedDict) {
                emptyOrderedDict(root);
            } else {
                out.emptyDict();
                memoize(root);
            }
            List<Runnable> items = new ArrayList<>();
            tensors.forEach((name, t) -> items.add(() -> {
                string(name);
                tensor(t);
            }));
            setItems(items);
            if (moduleMetadata != null) {
                out.emptyDict(); // the OrderedDict's __dict__: {'_metadata': OrderedDict(...)}
                memoize(new Object());
                string(METADATA);
                emptyOrderedDict(new Object());
                List<Runnable> modules = new ArrayList<>();
                moduleMetadata.forEach((prefix, version) -> modules.add(() -> {
                    string(new String(prefix)); // a fresh string per module, as prefix[:-1] is
                    out.emptyDict();
                    memoize(new Object());
                    string(VERSION);
                    out.integer(version);
                    out.setItem();
                }));
                setItems(modules);
                out.setItem();
                out.build();
            }
            return out.stop().toByteArray();
        }

        private void emptyOrderedDict(Object dict) {
            global("collections", "OrderedDict");
            out.emptyTuple();
            out.reduce();
            memoize(dict);
        }

        /** torch.Tensor.__reduce_ex__: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
        private void tensor(Tensor t) {
            if (get(t)) {
                return;
            }
            global("torch._utils", "_rebuild_tensor_v2");
            out.mark();
            out.mark(); // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            string(STORAGE);
            global("torch", storageType(t.storage().dtype));
            string(t.storage().key);
            string(LOCATION);
            out.integer(t.storage().values.length);
            out.tuple();
            memoize(new Object());
            out.persistentId();
            out.integer(t.offset());
            ints(t.shape());
            ints(t.stride());
            out.newFalse();
            emptyOrderedDict(new Object());
            out.tuple();
            memoize(new Object());
            out.reduce();
            memoize(t);
        }

        private void ints(long[] values) {
            if (values.length == 0) {
                out.emptyTuple(); // the empty tuple is a singleton Python never memoizes
                return;
            }
            if (values.length > 3) {
                out.mark();
            }
            for (long v : values) {
                out.integer(v);
            }
            switch (values.length) {
                case 1 -> out.tuple1();
                case 2 -> out.tuple2();
                case 3 -> out.op(0x87);
                default -> out.tuple();
            }
            memoize(new Object());
        }

        /** pickle's _batch_setitems: MARK … SETITEMS per 1000 items, a lone item with SETITEM. */
        private void setItems(List<Runnable> items) {
            for (int start = 0; start < items.size(); start += BATCH) {
                List<Runnable> batch = items.subList(start, Math.min(items.size(), start + BATCH));
                if (batch.size() > 1) {
                    out.mark();
                    batch.forEach(Runnable::run);
                    out.setItems();
                } else {
                    batch.get(0).run();
                    out.setItem();
                }
            }
        }

        private void string(String s) {
            if (!get(s)) {
                out.unicode(s);
                memoize(s);
            }
        }

        private void global(String module, String name) {
            Object token = globals.computeIfAbsent(module + "\n" + name, k -> new Object());
            if (!get(token)) {
                out.global(module, name);
                memoize(token);
            }
        }

        private void memoize(Object value) {
            int index = memo.size();
            memo.put(value, index);
            if (index < 256) {
                out.binput(index);
            } else {
                out.op('r').u32(index);
            }
        }

        private boolean get(Object value) {
            Integer index = memo.get(value);
            if (index == null) {
                return false;
            }
            if (index < 256) {
                out.binget(index);
            } else {
                out.longBinget(index);
            }
            return true;
        }
    }

    /** The zip as torch's PyTorchStreamWriter (miniz, MZ_ZIP_FLAG_WRITE_ZIP64) lays it out. */
    private static byte[] zip(String archive, Map<String, byte[]> records) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] name = (archive + "/" + record.getKey()).getBytes(StandardCharsets.UTF_8);
            byte[] data = record.getValue();
            long offset = file.size();
            CRC32 crc = new CRC32();
            crc.update(data);
            long start = offset + 30 + name.length + 4;
            int padding = (int) ((64 - start % 64) % 64);
            LittleEndian local = new LittleEndian()
                    .u32(0x04034b50).u16(0).u16(0x0808).u16(0).u16(0).u16(0).u32(0).u32(0).u32(0)
                    .u16(name.length).u16(4 + padding).bytes(name)
                    .bytes(new byte[] {'F', 'B'}).u16(padding);
            byte[] pad = new byte[padding];
            Arrays.fill(pad, (byte) 'Z');
            local.bytes(pad).bytes(data)
                    .u32(0x08074b50).u32(crc.getValue()).u32(data.length).u32(data.length); // data descriptor
            file.writeBytes(local.toByteArray());
            directory.writeBytes(new LittleEndian()
                    .u32(0x02014b50).u16(0).u16(0).u16(0x0808).u16(0).u16(0).u16(0)
                    .u32(crc.getValue()).u32(data.length).u32(data.length)
                    .u16(name.length).u16(0).u16(0).u16(0).u16(0).u32(0).u32(offset).bytes(name)
                    .toByteArray());
        }
        long directoryOffset = file.size();
        byte[] dir = directory.toByteArray();
        file.writeBytes(dir);
        long zip64Offset = file.size();
        int count = records.size();
        file.writeBytes(new LittleEndian()
                .u32(0x06064b50).u64(44).u16(0x031e).u16(0x002d).u32(0).u32(0)
                .u64(count).u64(count).u64(dir.length).u64(directoryOffset)
                .u32(0x07064b50).u32(0).u64(zip64Offset).u32(1)
                .u32(0x06054b50).u16(0).u16(0).u16(count).u16(count).u32(dir.length).u32(directoryOffset).u16(0)
                .toByteArray());
        return file.toByteArray();
    }

    private static final class LittleEndian {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        LittleEndian u16(int v) {
            out.write(v & 0xff);
            out.write((v >>> 8) & 0xff);
            return this;
        }

        LittleEndian u32(long v) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            return this;
        }

        LittleEndian u64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        LittleEndian bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}

package dev.logitscope.safetensors;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.HalfFloats;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes float tensors in the safetensors format (used by tests to build tiny checkpoints, and
 * for fine-tuned checkpoints). Values are given as float32 and stored as F32, F16 or BF16.
 *
 * <p>Hand-written because no maintained Java library writes safetensors; the format is an 8-byte
 * little-endian header length, a JSON header, then the raw little-endian data.
 */
public final class SafetensorsWriter {

    /** A tensor to write; its values are produced only when written, so huge files stream. */
    private record Entry(String name, DType dtype, long[] shape, long count, Supplier<float[]> values) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor stored as F32. */
    public SafetensorsWriter add(String name, long[] shape, float[] values) {
        return add(name, DType.F32, shape, values);
    }

    /** Adds a tensor stored as {@code dtype} (F32, F16 or BF16), converted from float32 values. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        if (!dtype.isLoadableAsFloat()) {
            throw new IllegalArgumentException("only F32, F16 and BF16 can be written, not " + dtype);
        }
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count != values.length) {
            throw new IllegalArgumentException(
                    name + ": shape " + Arrays.toString(shape) + " holds " + count + " values, got " + values.length);
        }
        return add(name, dtype, shape, () -> values);
    }

    /**
     * Adds a tensor whose values are computed when the file is written (one tensor in memory at
     * a time, so a multi-gigabyte checkpoint can be written with a small heap).
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, Supplier<float[]> values) {
        if (!dtype.isLoadableAsFloat()) {
            throw new IllegalArgumentException("only F32, F16 and BF16 can be written, not " + dtype);
        }
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        entries.add(new Entry(name, dtype, shape.clone(), count, values));
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Writes the file atomically (a temporary file in the same folder, then a move). */
    public void write(Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Entry e : entries) {
            long size = e.count * e.dtype.byteSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype.name());
            info.put("shape", e.shape);
            info.put("data_offsets", new long[] {offset, offset + size});
            header.put(e.name, info);
            offset += size;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        // The format recommends padding the header with spaces to a multiple of 8 bytes.
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (Entry e : entries) {
                out.write(encode(e));
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] encode(Entry e) {
        float[] values = e.values.get();
        if (values.length != e.count) {
            throw new IllegalStateException(e.name + ": expected " + e.count + " values, got " + values.length);
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(values.length, e.dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (e.dtype) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(HalfFloats.floatToHalf(v));
                case BF16 -> buf.putShort(HalfFloats.floatToBfloat16(v));
                default -> throw new IllegalStateException(e.dtype.name());
            }
        }
        return buf.array();
    }
}

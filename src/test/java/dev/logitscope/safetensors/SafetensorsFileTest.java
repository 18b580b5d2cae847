package dev.logitscope.safetensors;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    private static final float[] F32_VALUES = {
        1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 3.14159265f, -1e-30f
    };
    // Each exactly representable as a half.
    private static final float[] F16_VALUES = {1.0f, -2.0f, 0.5f, 65504f, 0x1p-24f, -0.0f, Float.POSITIVE_INFINITY, 1.5f};
    // Each exactly representable as a bfloat16.
    private static final float[] BF16_VALUES = {1.0f, -2.0f, 0x1.fep127f, 0x1p-133f};

    private Path writeSample() throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("note", "tiny")
                .add("wte.weight", new long[] {2, 4}, F32_VALUES)
                .add("h.0.ln_1.weight", DType.F16, new long[] {8}, F16_VALUES)
                .add("h.0.ln_1.bias", DType.BF16, new long[] {2, 2}, BF16_VALUES)
                .add("scalar", new long[] {}, new float[] {42f})
                .add("empty", DType.F16, new long[] {0, 3}, new float[0])
                .add("ln_f.weight", new long[] {3}, new float[] {7f, 8f, 9f})
                .write(file);
        return file;
    }

    @Test
    void roundTripsF32ExactlyF16AndBf16ForRepresentableValues() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            assertThat(st.readFloats("wte.weight")).isEqualTo(F32_VALUES);
            assertThat(st.readFloats("h.0.ln_1.weight")).isEqualTo(F16_VALUES);
            assertThat(st.readFloats("h.0.ln_1.bias")).isEqualTo(BF16_VALUES);
            assertThat(st.readFloats("ln_f.weight")).containsExactly(7f, 8f, 9f);
        }
    }

    @Test
    void describesEachTensor() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            TensorInfo wte = st.require("wte.weight");
            assertThat(wte.dtype()).isEqualTo(DType.F32);
            assertThat(wte.shape()).containsExactly(2, 4);
            assertThat(wte.elementCount()).isEqualTo(8);
            assertThat(wte.byteSize()).isEqualTo(32);
            assertThat(wte.begin()).isZero();
            TensorInfo half = st.require("h.0.ln_1.weight");
            assertThat(half.begin()).isEqualTo(32);
            assertThat(half.byteSize()).isEqualTo(16);
            assertThat(st.info("h.0.ln_1.bias")).map(TensorInfo::dtype).contains(DType.BF16);
            assertThat(st.info("nope")).isEmpty();
        }
    }

    @Test
    void namesFollowDataOrder() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            assertThat(st.names()).containsExactly(
                    "wte.weight", "h.0.ln_1.weight", "h.0.ln_1.bias", "scalar", "empty", "ln_f.weight");
        }
    }

    @Test
    void namesFollowDataOrderEvenWhenTheJsonListsThemOtherwise() throws IOException {
        String json = "{" + Crafted.entry("b", "F32", "[1]", 4, 8) + "," + Crafted.entry("a", "F32", "[1]", 0, 4) + "}";
        try (SafetensorsFile st = SafetensorsFile.open(Crafted.file(dir.resolve("x.safetensors"), json, 8))) {
            assertThat(st.names()).containsExactly("a", "b");
        }
    }

    @Test
    void metadataRoundTrips() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            assertThat(st.metadata()).containsExactly(
                    java.util.Map.entry("format", "pt"), java.util.Map.entry("note", "tiny"));
        }
    }

    @Test
    void metadataIsEmptyWhenAbsent() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        new SafetensorsWriter().add("x", new long[] {1}, new float[] {1f}).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).isEmpty();
            assertThat(st.path()).isEqualTo(file);
        }
    }

    @Test
    void scalarHasOneElement() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            TensorInfo scalar = st.require("scalar");
            assertThat(scalar.shape()).isEmpty();
            assertThat(scalar.elementCount()).isEqualTo(1);
            assertThat(st.readFloats("scalar")).containsExactly(42f);
        }
    }

    @Test
    void zeroSizeTensorReadsAsAnEmptyBuffer() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            assertThat(st.require("empty").elementCount()).isZero();
            ByteBuffer empty = st.float32("empty");
            assertThat(empty.isDirect()).isTrue();
            assertThat(empty.capacity()).isZero();
            assertThat(st.readFloats("empty")).isEmpty();
        }
    }

    @Test
    void emptyFileWithOnlyAnEmptyHeaderOpens() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(Crafted.file(dir.resolve("e.safetensors"), "{}", 0))) {
            assertThat(st.names()).isEmpty();
            assertThat(st.metadata()).isEmpty();
        }
    }

    @Test
    void f32BufferIsADirectReadOnlyLittleEndianView() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            ByteBuffer buf = st.float32("ln_f.weight");
            assertThat(buf.isDirect()).isTrue();
            assertThat(buf.isReadOnly()).isTrue();
            assertThat(buf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(buf.position()).isZero();
            assertThat(buf.capacity()).isEqualTo(3 * 4);
            assertThat(buf.limit()).isEqualTo(3 * 4);
            assertThat(new float[] {buf.getFloat(0), buf.getFloat(4), buf.getFloat(8)}).containsExactly(7f, 8f, 9f);
        }
    }

    @Test
    void halfBuffersAreWidenedIntoDirectLittleEndianBuffers() throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            ByteBuffer buf = st.float32("h.0.ln_1.weight");
            assertThat(buf.isDirect()).isTrue();
            assertThat(buf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(buf.position()).isZero();
            assertThat(buf.capacity()).isEqualTo(8 * 4);
            assertThat(buf.getFloat(4)).isEqualTo(-2.0f);
        }
    }

    @Test
    void bf16KnownBitPatterns() throws IOException {
        String json = "{" + Crafted.entry("b", "BF16", "[3]", 0, 6) + "}";
        Path file = Crafted.file(dir.resolve("bf.safetensors"), json.getBytes(StandardCharsets.UTF_8),
                Crafted.shorts(0x3F80, 0xC000, 0x0000));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.readFloats("b")).containsExactly(1.0f, -2.0f, 0.0f);
        }
    }

    @Test
    void f16KnownBitPatterns() throws IOException {
        String json = "{" + Crafted.entry("h", "F16", "[4]", 0, 8) + "}";
        Path file = Crafted.file(dir.resolve("h.safetensors"), json.getBytes(StandardCharsets.UTF_8),
                Crafted.shorts(0x3C00, 0xC000, 0x7BFF, 0x0001));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.readFloats("h")).containsExactly(1.0f, -2.0f, 65504f, 0x1p-24f);
        }
    }

    @Test
    void buffersStayValidAfterClose() throws IOException {
        ByteBuffer f32;
        ByteBuffer f16;
        try (SafetensorsFile st = SafetensorsFile.open(writeSample())) {
            f32 = st.float32("ln_f.weight");
            f16 = st.float32("h.0.ln_1.weight");
        }
        System.gc();
        assertThat(f32.getFloat(8)).isEqualTo(9f);
        assertThat(f16.getFloat(0)).isEqualTo(1f);
    }

    @Test
    void readingAfterCloseIsAClearError() throws IOException {
        Path file = writeSample();
        SafetensorsFile st = SafetensorsFile.open(file);
        st.close();
        st.close(); // closing twice is harmless
        assertThatThrownBy(() -> st.float32("wte.weight"))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("tensor 'wte.weight'")
                .hasMessageContaining("closed");
    }

    @Test
    void missingTensorNamesFileAndTensor() throws IOException {
        Path file = writeSample();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> st.require("lm_head.weight"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageStartingWith(file.toString())
                    .hasMessageContaining("tensor 'lm_head.weight'")
                    .hasMessageContaining("not in this file");
            assertThatThrownBy(() -> st.float32("lm_head.weight")).isInstanceOf(SafetensorsException.class);
        }
    }

    @Test
    void nonFloatDtypeIsRefusedAsFloat32() throws IOException {
        String json = "{" + Crafted.entry("ids", "I32", "[2]", 0, 8) + "}";
        Path file = Crafted.file(dir.resolve("ints.safetensors"), json, 8);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.require("ids").dtype()).isEqualTo(DType.I32);
            assertThatThrownBy(() -> st.float32("ids"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageStartingWith(file.toString())
                    .hasMessageContaining("tensor 'ids'")
                    .hasMessageContaining("I32 cannot be read as float32");
        }
    }

    @Test
    void unknownKeysInAnEntryAreTolerated() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"extra\":{\"a\":[1,2,{}]},\"shape\":[1],\"data_offsets\":[0,4]}}";
        try (SafetensorsFile st = SafetensorsFile.open(Crafted.file(dir.resolve("x.safetensors"), json, 4))) {
            assertThat(st.readFloats("w")).containsExactly(0f);
        }
    }

    @Test
    void tensorOverTwoGigabytesIsAClearErrorWhenRequested() throws IOException {
        // A sparse file: the header is valid, the 2.4 GB of data are a hole that costs no disk.
        long count = 600_000_000L;
        String json = "{" + Crafted.entry("big", "F32", "[" + count + "]", 0, count * 4)
                + "," + Crafted.entry("big16", "F16", "[" + count + "]", count * 4, count * 6) + "}";
        Path file = Crafted.file(dir.resolve("big.safetensors"), json, 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() + count * 6);
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.require("big").byteSize()).isEqualTo(2_400_000_000L);
            for (String name : new String[] {"big", "big16"}) {
                assertThatThrownBy(() -> st.float32(name))
                        .isInstanceOf(SafetensorsException.class)
                        .hasMessageStartingWith(file.toString())
                        .hasMessageContaining("tensor '" + name + "'")
                        .hasMessageContaining("2400000000 bytes as float32")
                        .hasMessageContaining("2 GB");
            }
        }
    }

    @Test
    void tensorInfoComparesShapesByContentAndCopiesThem() {
        long[] shape = {2, 3};
        TensorInfo a = new TensorInfo("w", DType.F32, shape, 0, 24);
        shape[0] = 99;
        assertThat(a.shape()).containsExactly(2, 3);
        a.shape()[1] = 99;
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a).isEqualTo(new TensorInfo("w", DType.F32, new long[] {2, 3}, 0, 24));
        assertThat(a.hashCode()).isEqualTo(new TensorInfo("w", DType.F32, new long[] {2, 3}, 0, 24).hashCode());
    }

    @Test
    void readFloat32CopiesEveryDtypeIntoTheCallersBuffer() throws IOException {
        Path file = dir.resolve("big.safetensors");
        float[] many = new float[20_011]; // several conversion chunks and a ragged end
        for (int i = 0; i < many.length; i++) {
            many[i] = ((i % 255) - 127) * 0.25f; // 8 significant bits at most: exact in F16 and BF16
        }
        new SafetensorsWriter()
                .add("f16", DType.F16, new long[] {many.length}, many)
                .add("bf16", DType.BF16, new long[] {many.length}, many)
                .add("f32", new long[] {many.length}, many)
                .add("odd", new long[] {3}, new float[] {1f, 2f, 3f})
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : new String[] {"f16", "bf16", "f32"}) {
                ByteBuffer direct = ByteBuffer.allocateDirect(many.length * 4);
                st.readFloat32(name, direct);
                assertThat(direct.position()).as("the target's position is left alone").isZero();
                assertThat(floats(direct)).as(name).isEqualTo(many).isEqualTo(st.readFloats(name));
                ByteBuffer heap = ByteBuffer.allocate(many.length * 4);
                st.readFloat32(name, heap);
                assertThat(floats(heap)).as(name + " into a heap buffer").isEqualTo(many);
            }
            assertThatThrownBy(() -> st.readFloat32("odd", ByteBuffer.allocate(8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bytes");
        }
    }

    @Test
    void readFloat32OfAFileCutAfterOpeningIsAnErrorNotACrash() throws IOException {
        Path file = writeSample();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
            }
            assertThatThrownBy(() -> st.readFloat32("wte.weight", ByteBuffer.allocateDirect(32)))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("wte.weight").hasMessageContaining("has become shorter");
            assertThatThrownBy(() -> st.readFloat32("h.0.ln_1.weight", ByteBuffer.allocateDirect(32)))
                    .isInstanceOf(SafetensorsException.class).hasMessageContaining("has become shorter");
        }
    }

    private static float[] floats(ByteBuffer buffer) {
        float[] out = new float[buffer.remaining() / 4];
        buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}

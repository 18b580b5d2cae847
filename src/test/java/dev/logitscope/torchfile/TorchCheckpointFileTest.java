package dev.logitscope.torchfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorInfo;
import dev.logitscope.testing.PickleBytes;
import dev.logitscope.testing.TorchCheckpointWriter;
import dev.logitscope.testing.TorchCheckpointWriter.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values read from torch.save files against expectations computed here: row-major copies of the
 * written values along the saved strides, and 16-bit floats decoded by hand from their bit
 * patterns. The writer's files are what torch writes (byte-identical to torch 1.13's, and read by
 * torch.load; see TorchCheckpointWriter).
 */
class TorchCheckpointFileTest {
    @TempDir
    Path dir;

    private static float[] sequence(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f - 3f;
        }
        return v;
    }

    @Test
    void aStateDictReadsInOrderWithDtypesShapesAndValues() throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        Map<String, TensorSpec> tensors = new LinkedHashMap<>();
        tensors.put("wte.weight", TensorSpec.f32(new long[] {4, 3}, sequence(12)));
        tensors.put("h.0.ln_1.bias", TensorSpec.of(DType.F16, new long[] {3}, new float[] {0.25f, -1.5f, 1024f}));
        tensors.put("scalar", TensorSpec.f32(new long[] {}, new float[] {7f}));
        tensors.put("empty", TensorSpec.f32(new long[] {2, 0}, new float[0]));
        TorchCheckpointWriter.write(tensors, file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertThat(f.names()).containsExactly("wte.weight", "h.0.ln_1.bias", "scalar", "empty");
            TensorInfo wte = f.require("wte.weight");
            assertThat(wte.dtype()).isEqualTo(DType.F32);
            assertThat(wte.shape()).containsExactly(4, 3);
            assertThat(wte.begin() % 64).as("torch aligns storages to 64 bytes").isZero();
            assertThat(wte.byteSize()).isEqualTo(48);
            assertThat(f.readFloats("wte.weight")).containsExactly(sequence(12));
            assertThat(f.require("h.0.ln_1.bias").dtype()).isEqualTo(DType.F16);
            assertThat(f.readFloats("h.0.ln_1.bias")).containsExactly(0.25f, -1.5f, 1024f);
            assertThat(f.require("scalar").shape()).isEmpty();
            assertThat(f.readFloats("scalar")).containsExactly(7f);
            assertThat(f.readFloats("empty")).isEmpty();
            assertThat(f.info("absent")).isEmpty();
            assertThatThrownBy(() -> f.require("absent")).isInstanceOf(TorchFileException.class)
                    .hasMessageContaining("tensor 'absent': not in this file (it holds 4 tensors: 'wte.weight'");
        }
    }

    @Test
    void float16AndBfloat16BitPatternsWidenExactly() throws IOException {
        // Half: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), 2^-14 (smallest normal), -0, +inf.
        short[] half = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x0400, (short) 0x8000, 0x7c00};
        float[] halfValues = {1f, -2f, 65504f, 0x1p-24f, 0x1p-14f, -0f, Float.POSITIVE_INFINITY};
        // BF16 is the top half of a float32: 1.0, -3.0, 2^-133 (subnormal), 3.3895314e38 (largest).
        short[] bf16 = {0x3f80, (short) 0xc040, 0x0001, 0x7f7f};
        float[] bf16Values = {1f, -3f, Float.intBitsToFloat(0x00010000), Float.intBitsToFloat(0x7f7f0000)};
        Path file = dir.resolve("halves.bin");
        new TorchCheckpointWriter()
                .add("h", DType.F16, new long[] {7}, new float[7])
                .add("b", DType.BF16, new long[] {2, 2}, new float[4])
                .replaceRecord("data/0", littleEndian(half))
                .replaceRecord("data/1", littleEndian(bf16))
                .write(file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertBits(f.readFloats("h"), halfValues);
            assertBits(readPlainly(f, "h"), halfValues);
            assertBits(f.readFloats("b"), bf16Values);
            assertBits(readPlainly(f, "b"), bf16Values);
        }
    }

    @Test
    void tensorsSharingAStorageReadTheirOwnViews() throws IOException {
        // wte [5,3] = 0..14; lm_head shares it whole (tied weights), tail starts at element 3,
        // wT is the transposed view saved as is (stride [1,3]), col a column broadcast along stride 0.
        float[] values = new float[15];
        for (int i = 0; i < 15; i++) {
            values[i] = i;
        }
        Path file = dir.resolve("tied.bin");
        new TorchCheckpointWriter()
                .add("wte", DType.F32, new long[] {5, 3}, values)
                .view("lm_head", "wte", 0, new long[] {5, 3}, new long[] {3, 1})
                .view("tail", "wte", 3, new long[] {2, 3}, new long[] {3, 1})
                .view("wT", "wte", 0, new long[] {3, 5}, new long[] {1, 3})
                .view("col", "wte", 1, new long[] {5, 2}, new long[] {3, 0})
                .view("every_other", "wte", 2, new long[] {2, 2}, new long[] {6, 2})
                .sameTensor("alias", "wte")
                .write(file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertThat(f.readFloats("lm_head")).containsExactly(values);
            assertThat(f.require("lm_head").begin()).isEqualTo(f.require("wte").begin());
            assertThat(f.readFloats("alias")).containsExactly(values);
            assertThat(f.readFloats("tail")).containsExactly(3, 4, 5, 6, 7, 8);
            assertThat(f.require("tail").begin()).isEqualTo(f.require("wte").begin() + 3 * 4);
            float[] transposed = new float[15];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 5; c++) {
                    transposed[r * 5 + c] = values[c * 3 + r];
                }
            }
            assertThat(f.stride("wT")).containsExactly(1, 3);
            assertThat(f.readFloats("wT")).containsExactly(transposed);
            assertThat(readPlainly(f, "wT")).containsExactly(transposed);
            assertThat(f.readFloats("col")).containsExactly(1, 1, 4, 4, 7, 7, 10, 10, 13, 13);
            assertThat(readPlainly(f, "col")).containsExactly(1, 1, 4, 4, 7, 7, 10, 10, 13, 13);
            assertThat(f.readFloats("every_other")).containsExactly(2, 4, 8, 10);
            assertThat(readPlainly(f, "every_other")).containsExactly(2, 4, 8, 10);
        }
    }

    @Test
    void aTransposedHalfViewWidensAlongItsStrides() throws IOException {
        Path file = dir.resolve("half_t.bin");
        new TorchCheckpointWriter()
                .add("w", DType.BF16, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .view("wT", "w", 0, new long[] {3, 2}, new long[] {1, 3})
                .write(file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertThat(f.readFloats("wT")).containsExactly(1, 4, 2, 5, 3, 6);
            assertThat(readPlainly(f, "wT")).containsExactly(1, 4, 2, 5, 3, 6);
        }
    }

    @Test
    void aContiguousFloat32TensorIsAReadOnlyDirectBufferOfExactlyItsBytes() throws IOException {
        Path file = dir.resolve("f.bin");
        TorchCheckpointWriter.write(Map.of("w", TensorSpec.f32(new long[] {2, 2}, new float[] {1, 2, 3, 4})), file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            ByteBuffer b = f.float32("w");
            assertThat(b.isDirect()).isTrue();
            assertThat(b.isReadOnly()).isTrue();
            assertThat(b.position()).isZero();
            assertThat(b.remaining()).isEqualTo(16);
            assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getFloat(12)).isEqualTo(4f);
        }
    }

    @Test
    void bothTorchLayoutsAndAnyArchiveNameRead() throws IOException {
        Map<String, Integer> modules = new LinkedHashMap<>();
        modules.put("", 1);
        modules.put("0", 1);
        for (boolean torch113 : List.of(true, false)) {
            for (String archive : List.of("archive", "pytorch_model", "params")) {
                Path file = dir.resolve(archive + torch113 + ".pt");
                new TorchCheckpointWriter().torch113Records(torch113).archiveName(archive).moduleMetadata(modules)
                        .add("0.weight", DType.F32, new long[] {1, 2}, new float[] {5, 6})
                        .add("0.bias", DType.F32, new long[] {1}, new float[] {-1})
                        .write(file);
                try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
                    assertThat(f.names()).containsExactly("0.weight", "0.bias");
                    assertThat(f.readFloats("0.weight")).containsExactly(5, 6);
                }
            }
        }
    }

    @Test
    void aPlainDictAndMoreThanAThousandTensorsRead() throws IOException {
        // Past 1000 items pickle splits SETITEMS into batches; past 256 memo entries it uses LONG_BINPUT.
        TorchCheckpointWriter writer = new TorchCheckpointWriter().orderedDict(false);
        for (int i = 0; i < 1100; i++) {
            writer.add("t" + i, DType.F32, new long[] {1}, new float[] {i});
        }
        Path file = dir.resolve("many.bin");
        writer.write(file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertThat(f.names()).hasSize(1100);
            for (int i = 0; i < 1100; i += 99) {
                assertThat(f.readFloats("t" + i)).containsExactly(i);
            }
        }
    }

    @Test
    void nonFloatTensorsAreListedButNotReadAsFloats() throws IOException {
        // A uint8 mask buffer, as GPT-2 checkpoints carry: ByteStorage, 4 elements.
        byte[] pickle = new PickleBytes().proto(2).emptyDict()
                .unicode("h.0.attn.bias")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", "ByteStorage").unicode("0").unicode("cpu").integer(4).tuple()
                .persistentId().integer(0).integer(2).integer(2).tuple2().integer(2).integer(1).tuple2().newFalse()
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItem().stop().toByteArray();
        Path file = dir.resolve("mask.bin");
        new TorchCheckpointWriter().add("x", DType.F32, new long[] {1}, new float[] {0})
                .replacePickle(pickle).replaceRecord("data/0", new byte[] {1, 0, 1, 1}).write(file);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertThat(f.require("h.0.attn.bias").dtype()).isEqualTo(DType.U8);
            assertThat(f.require("h.0.attn.bias").shape()).containsExactly(2, 2);
            assertThatThrownBy(() -> f.readFloats("h.0.attn.bias")).isInstanceOf(TorchFileException.class)
                    .hasMessageContaining("dtype U8 cannot be read as float32");
        }
    }

    @Test
    void aClosedFileSaysSo() throws IOException {
        Path file = dir.resolve("c.bin");
        TorchCheckpointWriter.write(Map.of("w", TensorSpec.f32(new long[] {2}, new float[] {1, 2})), file);
        TorchCheckpointFile f = TorchCheckpointFile.open(file);
        f.close();
        assertThatThrownBy(() -> f.readFloats("w")).isInstanceOf(TorchFileException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> f.readFloat32("w", ByteBuffer.allocate(8))).isInstanceOf(TorchFileException.class)
                .hasMessageContaining("closed");
    }

    static float[] readPlainly(TorchCheckpointFile f, String name) throws IOException {
        long count = f.require(name).elementCount();
        ByteBuffer target = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        f.readFloat32(name, target);
        float[] out = new float[(int) count];
        target.asFloatBuffer().get(out);
        return out;
    }

    private static byte[] littleEndian(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private static void assertBits(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("element %d: %s vs %s", i, actual[i], expected[i])
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}

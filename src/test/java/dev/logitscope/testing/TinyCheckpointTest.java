package dev.logitscope.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.HalfFloats;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TinyCheckpointTest {

    @TempDir
    Path dir;

    /** A minimal independent safetensors reader: key → (dtype, shape, values as float). */
    private record Stored(String dtype, long[] shape, float[] values) {}

    private static Map<String, Stored> readSafetensors(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(all.getLong(0));
        String header = new String(all.array(), 8, headerLength, StandardCharsets.UTF_8);
        JsonObject json = JsonParser.parseString(header).getAsJsonObject();
        Map<String, Stored> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject info = e.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            long[] shape = new long[info.getAsJsonArray("shape").size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = info.getAsJsonArray("shape").get(k).getAsLong();
            }
            int begin = 8 + headerLength + info.getAsJsonArray("data_offsets").get(0).getAsInt();
            int end = 8 + headerLength + info.getAsJsonArray("data_offsets").get(1).getAsInt();
            int size = dtype.equals("F32") ? 4 : 2;
            float[] values = new float[(end - begin) / size];
            for (int k = 0; k < values.length; k++) {
                int at = begin + k * size;
                values[k] = switch (dtype) {
                    case "F32" -> all.getFloat(at);
                    case "F16" -> HalfFloats.halfToFloat(all.getShort(at));
                    case "BF16" -> HalfFloats.bfloat16ToFloat(all.getShort(at));
                    default -> throw new AssertionError(dtype);
                };
            }
            out.put(e.getKey(), new Stored(dtype, shape, values));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void weightsAreExactlyWhatTheFileHolds(DType dtype) throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(8).nHead(2).nPositions(16)
                .dtype(dtype).write(dir);
        Map<String, Stored> stored = readSafetensors(ckpt.modelFile());
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(ckpt.weights().keySet());
        for (Map.Entry<String, float[]> e : ckpt.weights().entrySet()) {
            Stored s = stored.get(e.getKey());
            assertThat(s.dtype()).isEqualTo(dtype.name());
            assertThat(s.shape()).isEqualTo(ckpt.shape(e.getKey()));
            assertThat(s.values()).as(e.getKey()).containsExactly(e.getValue());
        }
    }

    @Test
    void shapesAreThoseOfHuggingFaceGpt2() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(8).nHead(2).nPositions(12).write(dir);
        int v = TinyTokenizer.VOCAB_SIZE;
        Map<String, Stored> stored = readSafetensors(ckpt.modelFile());
        assertThat(stored.get("wte.weight").shape()).containsExactly(v, 8);
        assertThat(stored.get("wpe.weight").shape()).containsExactly(12, 8);
        assertThat(stored.get("h.2.ln_1.weight").shape()).containsExactly(8);
        assertThat(stored.get("h.2.attn.c_attn.weight").shape()).containsExactly(8, 24);
        assertThat(stored.get("h.2.attn.c_attn.bias").shape()).containsExactly(24);
        assertThat(stored.get("h.2.attn.c_proj.weight").shape()).containsExactly(8, 8);
        assertThat(stored.get("h.2.mlp.c_fc.weight").shape()).containsExactly(8, 32);
        assertThat(stored.get("h.2.mlp.c_fc.bias").shape()).containsExactly(32);
        assertThat(stored.get("h.2.mlp.c_proj.weight").shape()).containsExactly(32, 8);
        assertThat(stored.get("ln_f.bias").shape()).containsExactly(8);
        assertThat(stored).hasSize(2 + 3 * 12 + 2).doesNotContainKey("lm_head.weight");
        assertThat(ckpt.unembedding()).isSameAs(ckpt.weight("wte.weight"));
    }

    @Test
    void configJsonIsWhatTransformersWrites() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(8).nHead(4).nPositions(12).write(dir);
        JsonObject config = JsonParser.parseString(Files.readString(ckpt.configFile())).getAsJsonObject();
        assertThat(config.get("model_type").getAsString()).isEqualTo("gpt2");
        assertThat(config.get("n_layer").getAsInt()).isEqualTo(3);
        assertThat(config.get("n_embd").getAsInt()).isEqualTo(8);
        assertThat(config.get("n_head").getAsInt()).isEqualTo(4);
        assertThat(config.get("n_positions").getAsInt()).isEqualTo(12);
        assertThat(config.get("n_ctx").getAsInt()).isEqualTo(12);
        assertThat(config.get("vocab_size").getAsInt()).isEqualTo(TinyTokenizer.VOCAB_SIZE);
        assertThat(config.has("n_inner")).isTrue();
        assertThat(config.get("n_inner").isJsonNull()).isTrue();
        assertThat(config.get("layer_norm_epsilon").getAsDouble()).isEqualTo(1e-5);
        assertThat(config.get("activation_function").getAsString()).isEqualTo("gelu_new");
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo("GPT2LMHeadModel");
        assertThat(config.has("tie_word_embeddings")).isFalse();
        assertThat(ckpt.nInner()).isEqualTo(32);
    }

    @Test
    void explicitInnerWidth() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(8).nHead(2).nInner(20).write(dir);
        JsonObject config = JsonParser.parseString(Files.readString(ckpt.configFile())).getAsJsonObject();
        assertThat(config.get("n_inner").getAsInt()).isEqualTo(20);
        assertThat(ckpt.shape("h.0.mlp.c_fc.weight")).containsExactly(8, 20);
        assertThat(ckpt.shape("h.1.mlp.c_proj.weight")).containsExactly(20, 8);
    }

    @Test
    void prefixMaskBuffersAndUntiedHead() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(8).nHead(2).nPositions(6)
                .transformerPrefix(true).maskBuffers(true).untiedLmHead(true).write(dir);
        Map<String, Stored> stored = readSafetensors(ckpt.modelFile());
        assertThat(stored).containsKeys("transformer.wte.weight", "transformer.h.1.attn.c_attn.bias",
                "transformer.ln_f.weight", "lm_head.weight");
        assertThat(stored.keySet()).filteredOn(k -> !k.startsWith("transformer.")).containsExactly("lm_head.weight");

        Stored mask = stored.get("transformer.h.1.attn.bias");
        assertThat(mask.shape()).containsExactly(1, 1, 6, 6);
        for (int row = 0; row < 6; row++) {
            for (int col = 0; col < 6; col++) {
                assertThat(mask.values()[row * 6 + col]).isEqualTo(col <= row ? 1f : 0f);
            }
        }
        Stored maskedBias = stored.get("transformer.h.0.attn.masked_bias");
        assertThat(maskedBias.shape()).isEmpty();
        assertThat(maskedBias.values()).containsExactly(-1e4f);
        assertThat(ckpt.weights()).doesNotContainKey("h.0.attn.bias").containsKey("h.0.attn.c_attn.bias");

        assertThat(stored.get("lm_head.weight").values()).containsExactly(ckpt.weight("lm_head.weight"));
        assertThat(ckpt.weight("lm_head.weight")).isNotEqualTo(ckpt.weight("wte.weight"));
        assertThat(ckpt.unembedding()).isSameAs(ckpt.weight("lm_head.weight"));
        JsonObject config = JsonParser.parseString(Files.readString(ckpt.configFile())).getAsJsonObject();
        assertThat(config.get("tie_word_embeddings").getAsBoolean()).isFalse();
        assertThat(ckpt.storedKey("h.0.ln_1.weight")).isEqualTo("transformer.h.0.ln_1.weight");
        assertThat(ckpt.storedKey("lm_head.weight")).isEqualTo("lm_head.weight");
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() throws IOException {
        TinyCheckpoint a = TinyCheckpoint.builder().seed(7).write(dir.resolve("a"));
        TinyCheckpoint b = TinyCheckpoint.builder().seed(7).write(dir.resolve("b"));
        TinyCheckpoint c = TinyCheckpoint.builder().seed(8).write(dir.resolve("c"));
        assertThat(Files.readAllBytes(a.modelFile())).isEqualTo(Files.readAllBytes(b.modelFile()));
        assertThat(a.weight("h.1.mlp.c_fc.weight")).isNotEqualTo(c.weight("h.1.mlp.c_fc.weight"));
    }

    @Test
    void randomValuesHaveTheIntendedScale() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(32).nHead(4).write(dir);
        assertThat(std(ckpt.weight("wte.weight"))).isBetween(0.9, 1.1);
        assertThat(std(ckpt.weight("h.0.attn.c_attn.weight"))).isBetween(0.27, 0.33);
        assertThat(mean(ckpt.weight("h.0.ln_1.weight"))).isBetween(0.9, 1.1);
        assertThat(std(ckpt.weight("h.0.ln_1.weight"))).isBetween(0.12, 0.28);
        assertThat(std(ckpt.weight("h.0.mlp.c_fc.bias"))).isBetween(0.07, 0.13);
    }

    @Test
    void overrideReplacesOneParameterRoundedToTheDtype() throws IOException {
        float[] gain = new float[8];
        Arrays.fill(gain, 1.0001f); // not representable in bf16
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(8).nHead(2).dtype(DType.BF16)
                .override("ln_f.weight", gain).write(dir);
        assertThat(ckpt.weight("ln_f.weight")).containsOnly(1.0f);
        assertThatThrownBy(() -> TinyCheckpoint.builder().override("ln_f.weight", new float[3]).write(dir.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TinyCheckpoint.builder().nEmbd(10).nHead(4).write(dir.resolve("y")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void folderHoldsALoadableTinyTokenizer() throws IOException {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(ckpt.folder())) {
            assertThat(tokenizer.decode(tokenizer.encodeIds("Hello world"))).isEqualTo("Hello world");
        }
    }

    @Test
    void realTokenizerGivesTheGpt2Vocabulary() throws IOException {
        Path real = SharedFiles.gpt2TokenizerOrSkip();
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(1).nEmbd(4).nHead(1).realTokenizer(real).write(dir);
        assertThat(ckpt.vocabSize()).isEqualTo(50257);
        assertThat(ckpt.shape("wte.weight")).containsExactly(50257, 4);
        assertThat(Files.readAllBytes(ckpt.tokenizerFile()))
                .isEqualTo(Files.readAllBytes(real.resolve("tokenizer.json")));
        JsonObject config = JsonParser.parseString(Files.readString(ckpt.configFile())).getAsJsonObject();
        assertThat(config.get("vocab_size").getAsInt()).isEqualTo(50257);
        assertThat(config.get("eos_token_id").getAsInt()).isEqualTo(50256);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(ckpt.folder())) {
            assertThat(tokenizer.encodeIds("Hello world")).containsExactly(15496, 995);
        }
    }

    private static double mean(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    private static double std(float[] values) {
        double m = mean(values);
        double s = 0;
        for (float v : values) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / values.length);
    }
}

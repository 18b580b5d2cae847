package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.model.TapPoint;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.tensors.TensorInfo;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints converted from EleutherAI's .bin files carry each attention's causal mask as a BOOL
 * (or U8) [1, 1, P, P] buffer: skipped by name whatever its type, never read as a weight.
 */
class BoolBuffersTest {
    @TempDir
    Path dir;

    @Test
    void boolMaskBuffersAreSkippedAndChangeNothing() throws Exception {
        TinyGptNeoCheckpoint plain = TinyGptNeoCheckpoint.builder().seed(9).write(dir.resolve("plain"));
        Path withBuffers = dir.resolve("buffers");
        Files.createDirectories(withBuffers);
        for (String file : new String[] {"config.json", "tokenizer.json"}) {
            Files.copy(plain.folder().resolve(file), withBuffers.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        int positions = 64; // the builder's default max_position_embeddings
        JsonObject header = new JsonObject();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (SafetensorsFile file = SafetensorsFile.open(plain.modelFile())) {
            for (String name : file.names()) {
                TensorInfo info = file.require(name);
                float[] values = file.readFloats(name);
                ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    bytes.putFloat(v);
                }
                add(header, data, name, "F32", info.shape(), bytes.array());
                if (name.endsWith("attn.attention.out_proj.bias")) {
                    String attention = name.substring(0, name.length() - "out_proj.bias".length());
                    byte[] mask = new byte[positions * positions];
                    for (int row = 0; row < positions; row++) {
                        for (int col = 0; col <= row; col++) {
                            mask[row * positions + col] = 1;
                        }
                    }
                    add(header, data, attention + "bias", "BOOL", new long[] {1, 1, positions, positions}, mask);
                    add(header, data, attention + "masked_bias", "F32", new long[] {},
                            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1e9f).array());
                }
            }
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data.toByteArray());
        Files.write(withBuffers.resolve("model.safetensors"), out.array());

        int[] ids = {3, 141, 59, 26, 53, 58, 97, 93, 238, 46};
        Taps expected = Taps.of(plain.folder(), ids);
        Taps actual = Taps.of(withBuffers, ids);
        for (int layer = 0; layer <= plain.nLayer(); layer++) {
            TapPoint tap = TapPoint.afterBlock(layer);
            for (int t = 0; t < ids.length; t++) {
                assertThat(actual.at(tap)[t]).containsExactly(expected.at(tap)[t]);
            }
        }
    }

    private static void add(JsonObject header, ByteArrayOutputStream data, String name, String dtype, long[] shape, byte[] bytes) {
        JsonObject info = new JsonObject();
        info.addProperty("dtype", dtype);
        JsonArray dims = new JsonArray();
        for (long d : shape) {
            dims.add(d);
        }
        info.add("shape", dims);
        JsonArray offsets = new JsonArray();
        offsets.add(data.size());
        offsets.add(data.size() + bytes.length);
        info.add("data_offsets", offsets);
        header.add(name, info);
        data.writeBytes(bytes);
    }
}

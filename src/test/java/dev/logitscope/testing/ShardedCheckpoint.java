package dev.logitscope.testing;

import com.google.gson.JsonObject;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link TinyCheckpoint} as save_pretrained(max_shard_size=...) would have split it: two shards
 * {@code model-00001-of-00002.safetensors}, {@code model-00002-of-00002.safetensors} and
 * {@code model.safetensors.index.json} = {"metadata": {"total_size": N}, "weight_map": {tensor: shard}}.
 */
public final class ShardedCheckpoint {
    public static final String FIRST = "model-00001-of-00002.safetensors";
    public static final String SECOND = "model-00002-of-00002.safetensors";

    private ShardedCheckpoint() {}

    /** Writes {@code single}'s config, tokenizer and weights into {@code folder} as two shards and an index. */
    public static Path write(TinyCheckpoint single, Path folder) throws Exception {
        Files.createDirectories(folder);
        Files.copy(single.configFile(), folder.resolve("config.json"));
        Files.copy(single.tokenizerFile(), folder.resolve("tokenizer.json"));
        SafetensorsWriter first = new SafetensorsWriter().metadata("format", "pt");
        SafetensorsWriter second = new SafetensorsWriter().metadata("format", "pt");
        JsonObject weightMap = new JsonObject();
        long totalSize = 0;
        try (SafetensorsFile file = SafetensorsFile.open(single.modelFile())) {
            List<String> names = file.names().stream().sorted().toList();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                TensorInfo info = file.require(name);
                boolean inFirst = i < names.size() / 2;
                (inFirst ? first : second).add(name, info.dtype(), info.shape(), file.readFloats(name));
                weightMap.addProperty(name, inFirst ? FIRST : SECOND);
                totalSize += Arrays.stream(info.shape()).reduce(1, (a, b) -> a * b) * info.dtype().byteSize();
            }
        }
        first.write(folder.resolve(FIRST));
        second.write(folder.resolve(SECOND));
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        JsonObject index = new JsonObject();
        index.add("metadata", metadata);
        index.add("weight_map", weightMap);
        Files.writeString(folder.resolve("model.safetensors.index.json"), index.toString(), StandardCharsets.UTF_8);
        return folder;
    }

}

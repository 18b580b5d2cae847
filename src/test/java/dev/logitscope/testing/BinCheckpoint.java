package dev.logitscope.testing;

import com.google.gson.JsonObject;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.tensors.TensorInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link TinyCheckpoint} as a PyTorch model folder: {@code config.json}, {@code tokenizer.json}
 * and the very same weights (dtype kept) in {@code pytorch_model.bin}, as save_pretrained wrote
 * them before safetensors; or split into two .bin shards and {@code pytorch_model.bin.index.json}.
 */
public final class BinCheckpoint {
    public static final String WEIGHTS = "pytorch_model.bin";
    public static final String FIRST = "pytorch_model-00001-of-00002.bin";
    public static final String SECOND = "pytorch_model-00002-of-00002.bin";

    private BinCheckpoint() {}

    /**
     * Writes {@code single}'s config, tokenizer and weights into {@code folder} as pytorch_model.bin.
     * With {@code tiedHead}, a tied checkpoint also holds {@code lm_head.weight} as another tensor on
     * the word embedding's storage, as GPT2LMHeadModel.state_dict() does.
     */
    public static Path write(TinyCheckpoint single, Path folder, boolean tiedHead) throws IOException {
        copyConfigAndTokenizer(single, folder);
        TorchCheckpointWriter writer = new TorchCheckpointWriter();
        try (SafetensorsFile file = SafetensorsFile.open(single.modelFile())) {
            for (String name : file.names()) {
                addTensor(writer, file, name);
            }
        }
        if (tiedHead && !single.untiedLmHead()) {
            String wte = single.storedKey("wte.weight");
            long[] shape = single.shape("wte.weight");
            writer.view("lm_head.weight", wte, 0, shape, new long[] {shape[1], 1});
        }
        writer.write(folder.resolve(WEIGHTS));
        return folder;
    }

    /** Writes {@code single} into {@code folder} as two .bin shards named by pytorch_model.bin.index.json. */
    public static Path writeSharded(TinyCheckpoint single, Path folder) throws IOException {
        copyConfigAndTokenizer(single, folder);
        TorchCheckpointWriter first = new TorchCheckpointWriter().orderedDict(false); // shards are plain dicts
        TorchCheckpointWriter second = new TorchCheckpointWriter().orderedDict(false);
        JsonObject weightMap = new JsonObject();
        long totalSize = 0;
        try (SafetensorsFile file = SafetensorsFile.open(single.modelFile())) {
            List<String> names = file.names().stream().sorted().toList();
            for (int i = 0; i < names.size(); i++) {
                boolean inFirst = i < names.size() / 2;
                addTensor(inFirst ? first : second, file, names.get(i));
                weightMap.addProperty(names.get(i), inFirst ? FIRST : SECOND);
                totalSize += file.require(names.get(i)).byteSize();
            }
        }
        first.write(folder.resolve(FIRST));
        second.write(folder.resolve(SECOND));
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        JsonObject index = new JsonObject();
        index.add("metadata", metadata);
        index.add("weight_map", weightMap);
        Files.writeString(folder.resolve("pytorch_model.bin.index.json"), index.toString(), StandardCharsets.UTF_8);
        return folder;
    }

    private static void addTensor(TorchCheckpointWriter writer, SafetensorsFile file, String name) throws IOException {
        TensorInfo info = file.require(name);
        writer.add(name, info.dtype(), info.shape(), file.readFloats(name)); // exact in its dtype, so stored unchanged
    }

    private static void copyConfigAndTokenizer(TinyCheckpoint single, Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.copy(single.configFile(), folder.resolve("config.json"));
        Files.copy(single.tokenizerFile(), folder.resolve("tokenizer.json"));
    }
}

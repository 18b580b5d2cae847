package dev.logitscope.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.json.JsonText;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The output of a fine-tuning run: a Hugging Face model folder ({@code config.json},
 * {@code model.safetensors}, the tokenizer files) plus {@code training.json} (the record) and
 * {@code optimizer.safetensors} (AdamW's moments, for {@code --resume}). Each checkpoint is written
 * whole into a sibling folder and then renamed into place, so a stop or a crash leaves either the
 * previous checkpoint or the new one, never a mix: the old folder is first renamed aside (and
 * restored by the next run if the machine died between the two renames).
 */
public final class FineTuneFolder {
    public static final String RECORD = "training.json";
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Tokenizer files transformers' tokenizers save, copied when the source has them. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "vocab.json", "merges.txt",
            "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json");

    private FineTuneFolder() {}

    /** Writes a complete checkpoint into {@code out}, replacing the previous one in one rename. */
    public static void write(Path out, TrainableModel model, Path tokenizerFolder, TrainingRecord record, AdamW optimizer)
            throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path staging = sibling(target, ".writing");
        Path previous = sibling(target, ".previous");
        deleteTree(staging);
        Files.createDirectories(staging);
        Files.writeString(staging.resolve(ModelFolder.CONFIG), JsonText.pretty(model.config()) + "\n", StandardCharsets.UTF_8);
        model.writeWeights(staging.resolve(ModelFolder.WEIGHTS));
        for (String name : TOKENIZER_FILES) {
            Path file = tokenizerFolder.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, staging.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        SafetensorsWriter moments = new SafetensorsWriter().metadata("updates", String.valueOf(optimizer.updates()));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        model.parameters().forEach(p -> shapes.put(p.name(), p.array().getShape().getShape()));
        for (Map.Entry<String, java.util.function.Supplier<float[]>> e : optimizer.lazyState().entrySet()) {
            String parameter = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
            moments.add(e.getKey(), DType.F32, shapes.get(parameter), e.getValue());
        }
        moments.write(staging.resolve(OPTIMIZER));
        Files.writeString(staging.resolve(RECORD), JsonText.pretty(record.toJson()) + "\n", StandardCharsets.UTF_8);
        readableByAll(staging);
        if (Files.exists(target)) {
            deleteTree(previous);
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(previous);
    }

    /** Puts back a checkpoint left aside by a run that died between its two renames; true when it did. */
    public static boolean recover(Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path previous = sibling(target, ".previous");
        if (!Files.exists(target) && Files.isDirectory(previous)) {
            Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
        return false;
    }

    public static TrainingRecord readRecord(Path out) throws IOException {
        String text = Files.readString(out.resolve(RECORD), StandardCharsets.UTF_8);
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        return TrainingRecord.fromJson(json);
    }

    /** AdamW's moments by state name, and the update count, from a checkpoint. */
    public static Map<String, float[]> readOptimizer(Path out, long[] updates) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve(OPTIMIZER))) {
            updates[0] = Long.parseLong(file.metadata().getOrDefault("updates", "0"));
            Map<String, float[]> state = new LinkedHashMap<>();
            for (String name : file.names()) {
                state.put(name, file.readFloats(name));
            }
            return state;
        }
    }

    /** The writers' temporary files are private (0600); a saved model is shared like any other file (0644). */
    private static void readableByAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + suffix);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

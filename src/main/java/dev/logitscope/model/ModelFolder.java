package dev.logitscope.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Hugging Face model folder as {@code save_pretrained} writes it: {@code config.json},
 * the tokenizer ({@code tokenizer.json}, or {@code vocab.json} + {@code merges.txt} as older
 * repos ship it, with the tokenizer config files), and the weights in one {@code model.safetensors}
 * or in shards named by {@code model.safetensors.index.json}'s {@code weight_map} — or, as older
 * and many fine-tuned repos ship them, in {@code pytorch_model.bin} or shards named by
 * {@code pytorch_model.bin.index.json} (read without running their pickle). The one place that
 * knows these file names. Like transformers' {@code from_pretrained}, the first present of
 * model.safetensors, its index, pytorch_model.bin and its index is used (safetensors win over
 * .bin, a single file over an index), and tokenizer.json over vocab.json + merges.txt.
 */
public record ModelFolder(Path dir) {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    /** The slow GPT-2 tokenizer's files, which transformers converts when tokenizer.json is absent. */
    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";
    /** The tokenizer's settings (add_bos_token, bos_token, add_prefix_space, added tokens); each optional. */
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String ADDED_TOKENS = "added_tokens.json";
    /** What the tokenizer needs, as said to users. */
    public static final String TOKENIZER_NEEDS = TOKENIZER + " (or " + VOCAB + " and " + MERGES + ")";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHT_INDEX = "model.safetensors.index.json";
    public static final String PYTORCH_WEIGHTS = "pytorch_model.bin";
    public static final String PYTORCH_WEIGHT_INDEX = "pytorch_model.bin.index.json";

    /** The weight files a folder may hold, single file before index, in the order they are preferred. */
    private static final List<String> WEIGHT_CHOICES = List.of(WEIGHTS, WEIGHT_INDEX, PYTORCH_WEIGHTS, PYTORCH_WEIGHT_INDEX);

    /** The weights a folder needs, as said to users. */
    public static final String WEIGHTS_NEEDED = WEIGHTS + " or " + PYTORCH_WEIGHTS + " (or " + WEIGHT_INDEX + " or "
            + PYTORCH_WEIGHT_INDEX + " and its shards)";

    /** What a folder needs, as said to users. */
    public static final String NEEDS = CONFIG + ", " + WEIGHTS_NEEDED + " and " + TOKENIZER_NEEDS;

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path tokenizer() {
        return dir.resolve(TOKENIZER);
    }

    public Path vocab() {
        return dir.resolve(VOCAB);
    }

    public Path merges() {
        return dir.resolve(MERGES);
    }

    public Path tokenizerConfig() {
        return dir.resolve(TOKENIZER_CONFIG);
    }

    public Path specialTokensMap() {
        return dir.resolve(SPECIAL_TOKENS_MAP);
    }

    public Path addedTokens() {
        return dir.resolve(ADDED_TOKENS);
    }

    /** Whether the folder has a tokenizer: tokenizer.json, or vocab.json and merges.txt. */
    public boolean hasTokenizer() {
        return Files.isRegularFile(tokenizer()) || Files.isRegularFile(vocab()) && Files.isRegularFile(merges());
    }

    /**
     * Checks that the folder exists and holds config, weights and (when {@code withTokenizer})
     * the tokenizer, naming everything missing at once.
     */
    public ModelFolder requireFiles(boolean withTokenizer) throws ModelException {
        if (!Files.isDirectory(dir)) {
            throw new ModelException("No model folder at " + dir + ". Pass a folder with " + NEEDS
                    + ", or a hub name such as gpt2.");
        }
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(config())) {
            missing.add(CONFIG);
        }
        if (WEIGHT_CHOICES.stream().noneMatch(name -> Files.isRegularFile(dir.resolve(name)))) {
            missing.add(WEIGHTS + " (or " + PYTORCH_WEIGHTS + ")");
        }
        if (withTokenizer && !hasTokenizer()) {
            missing.add(TOKENIZER_NEEDS);
        }
        if (!missing.isEmpty()) {
            throw new ModelException("The model folder " + dir + " has no " + String.join(", ", missing)
                    + ". A model folder needs " + NEEDS
                    + " (download them from the model's Hugging Face page, or use ./logitscope download).");
        }
        return this;
    }

    /** config.json as a JSON object. */
    public JsonObject configJson() throws ModelException {
        return readObject(config(), "A model folder needs " + NEEDS + ".");
    }

    /**
     * The weight files: the single file, or the shards of the index in file-name order with the
     * tensor → shard map.
     */
    public WeightFiles weightFiles() throws ModelException {
        String chosen = WEIGHT_CHOICES.stream().filter(name -> Files.isRegularFile(dir.resolve(name))).findFirst()
                .orElse(WEIGHTS); // none: opening model.safetensors reports it missing
        if (!chosen.endsWith(".index.json")) {
            return new WeightFiles(List.of(dir.resolve(chosen)), Map.of(), null);
        }
        Path index = dir.resolve(chosen);
        JsonObject root = readObject(index, "It is written by save_pretrained next to the shards.");
        JsonElement map = root.get("weight_map");
        if (map == null || !map.isJsonObject() || map.getAsJsonObject().size() == 0) {
            throw new ModelException(index + " has no weight_map naming the shard of each tensor;"
                    + " it is not a weight index as save_pretrained writes it.");
        }
        Map<String, Path> shardOf = new LinkedHashMap<>();
        TreeSet<String> shardNames = new TreeSet<>();
        for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
            JsonElement value = e.getValue();
            String shard = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : "";
            // Shards sit beside the index: a path elsewhere would read files the folder does not hold.
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..") || shard.equals(".")) {
                throw new ModelException(index + ": the shard of tensor '" + e.getKey() + "' is " + value
                        + ", not the name of a file in the same folder.");
            }
            shardNames.add(shard);
            shardOf.put(e.getKey(), dir.resolve(shard));
        }
        List<Path> shards = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : shardNames) {
            Path shard = dir.resolve(name);
            shards.add(shard);
            if (!Files.isRegularFile(shard)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelException("The model folder " + dir + " lacks " + String.join(", ", missing) + ", named by "
                    + chosen + ". Download every shard of the model.");
        }
        return new WeightFiles(List.copyOf(shards), shardOf, index);
    }

    /**
     * The weight files of a checkpoint (safetensors or torch.save files).
     *
     * @param files   one file, or the shards in name order
     * @param shardOf tensor name → shard, as the index says; empty for a single file
     * @param index   the index that names the shards; null for a single file
     */
    public record WeightFiles(List<Path> files, Map<String, Path> shardOf, Path index) {
        public WeightFiles {
            files = List.copyOf(files);
            shardOf = Map.copyOf(shardOf);
            if (index == null && !shardOf.isEmpty()) {
                index = files.get(0).resolveSibling(WEIGHT_INDEX);
            }
        }

        public WeightFiles(List<Path> files, Map<String, Path> shardOf) {
            this(files, shardOf, null);
        }

        public boolean sharded() {
            return !shardOf.isEmpty();
        }

        /** Bytes on disk of all weight files. */
        public long bytes() throws IOException {
            long total = 0;
            for (Path file : files) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static JsonObject readObject(Path file, String hint) throws ModelException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelException("No " + file.getFileName() + " in " + file.getParent() + ". " + hint);
        } catch (AccessDeniedException e) {
            throw new ModelException("Cannot read " + file + ": permission denied. Make the file readable"
                    + " (chmod a+r) or run as a user who may read it.");
        } catch (CharacterCodingException e) {
            throw new ModelException("Cannot read " + file + ": it is not UTF-8 text. A " + file.getFileName()
                    + " is JSON written by save_pretrained.");
        } catch (IOException e) {
            throw new ModelException("Cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new ModelException(file + " is not a JSON object.");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelException(file + " is not valid JSON: " + e.getMessage());
        }
    }
}

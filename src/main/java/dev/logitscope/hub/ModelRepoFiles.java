package dev.logitscope.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which files of a model repository to fetch, chosen as transformers' {@code from_pretrained}
 * chooses them: {@code config.json}; the weights as {@code model.safetensors}, else its sharded
 * index, else {@code pytorch_model.bin}, else its index (the shards an index names come with it);
 * the tokenizer as {@code tokenizer.json}, else {@code vocab.json} + {@code merges.txt}; and the
 * tokenizer settings ({@code tokenizer_config.json}, {@code special_tokens_map.json},
 * {@code added_tokens.json}) the repository has (they say whether and which BOS is added).
 * {@code model.ModelFolder} reads the same names from the folder this produces (a test keeps the
 * two lists in step; the hub cannot depend on the model package).
 */
public final class ModelRepoFiles {
    public static final String CONFIG = "config.json";
    /** Tokenizer settings fetched when the repository has them: whether a BOS is added, which, and added tokens. */
    static final List<String> TOKENIZER_SETTINGS = List.of("tokenizer_config.json", "special_tokens_map.json",
            "added_tokens.json");
    /** Weight alternatives, preferred first; an index brings the shards its weight_map names. */
    static final List<String> WEIGHTS = List.of("model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json");
    /** Tokenizer alternatives, preferred first; each is a group of files fetched together. */
    static final List<List<String>> TOKENIZERS = List.of(List.of("tokenizer.json"), List.of("vocab.json", "merges.txt"));

    /** The files of a GPT-2 repository, named in messages when nothing tells which a repository has. */
    static final List<String> DEFAULT = List.of(CONFIG, "model.safetensors", "tokenizer.json");

    /** What a model folder or repository must hold, as said to users. */
    public static final String NEEDS = "config.json, the weights (model.safetensors, pytorch_model.bin or a sharded"
            + " index with its shards) and the tokenizer (tokenizer.json, or vocab.json and merges.txt)";

    /** The question the choice asks of a repository: on the hub (a HEAD) or in the cache. */
    interface Lookup {
        /** Whether the repository has {@code file}. */
        boolean has(String file) throws HubException;

        /** The text of {@code file} (small files only: an index). */
        String read(String file) throws HubException;
    }

    private ModelRepoFiles() {
    }

    /**
     * The files to fetch from a repository, in fetch order (config first, so the first file pins
     * the commit).
     *
     * @param where    the repository or folder, for the message
     * @param whatToDo the end of the message when something is missing
     * @throws HubException naming what the repository lacks
     */
    static List<String> choose(String where, Lookup repo, String whatToDo) throws HubException {
        List<String> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (repo.has(CONFIG)) {
            files.add(CONFIG);
        } else {
            missing.add(CONFIG);
        }
        String weights = null;
        for (String candidate : WEIGHTS) {
            if (repo.has(candidate)) {
                weights = candidate;
                break;
            }
        }
        List<String> tokenizer = null;
        for (List<String> group : TOKENIZERS) {
            boolean all = true;
            for (String file : group) {
                all &= repo.has(file);
            }
            if (all) {
                tokenizer = group;
                break;
            }
        }
        if (weights == null) {
            missing.add("model weights (" + HubErrors.joinOr(WEIGHTS) + ")");
        }
        if (tokenizer == null) {
            missing.add("a tokenizer (tokenizer.json, or vocab.json and merges.txt)");
        }
        if (!missing.isEmpty()) {
            throw new HubException(where + " lacks " + HubErrors.joinAnd(missing) + ". A model needs " + NEEDS
                    + ", as transformers' save_pretrained writes them; " + whatToDo);
        }
        files.add(weights);
        if (weights.endsWith(".index.json")) {
            files.addAll(shards(weights, repo.read(weights)));
        }
        files.addAll(tokenizer);
        for (String settings : TOKENIZER_SETTINGS) {
            if (repo.has(settings)) {
                files.add(settings);
            }
        }
        return List.copyOf(files);
    }

    /** The choice for a local folder. */
    static List<String> chooseInFolder(Path folder, String whatToDo) throws HubException {
        List<String> files = choose("the folder " + folder, new Lookup() {
            @Override
            public boolean has(String file) {
                return Files.isRegularFile(folder.resolve(file));
            }

            @Override
            public String read(String file) throws HubException {
                try {
                    return Files.readString(folder.resolve(file), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new HubException("cannot read " + folder.resolve(file) + ": " + e.getMessage(), e);
                }
            }
        }, whatToDo);
        List<String> absent = files.stream().filter(file -> !Files.isRegularFile(folder.resolve(file))).toList();
        if (!absent.isEmpty()) {
            throw new HubException("the folder " + folder + " lacks " + HubErrors.joinAnd(absent)
                    + ", named by its index; copy every shard of the model there, " + whatToDo);
        }
        return files;
    }

    /** The shard files an index's {@code weight_map} names, sorted; each must be a plain file name beside it. */
    static List<String> shards(String index, String json) throws HubException {
        JsonElement map;
        try {
            JsonElement root = JsonParser.parseString(json);
            map = root.isJsonObject() ? ((JsonObject) root).get("weight_map") : null;
        } catch (JsonParseException e) {
            throw new HubException(index + " is not valid JSON (" + e.getMessage() + "); the repository's index is broken.");
        }
        if (map == null || !map.isJsonObject() || map.getAsJsonObject().size() == 0) {
            throw new HubException(index + " has no weight_map naming the shard of each tensor; it is not an index"
                    + " as save_pretrained writes it.");
        }
        TreeSet<String> shards = new TreeSet<>();
        for (var e : map.getAsJsonObject().entrySet()) {
            JsonElement value = e.getValue();
            String shard = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : "";
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..") || shard.equals(".")) {
                throw new HubException(index + ": the shard of tensor '" + e.getKey() + "' is " + value
                        + ", not the name of a file beside the index.");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }
}

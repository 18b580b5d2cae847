package dev.logitscope.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a model's tokenizer config files ask for, read as transformers' {@code from_pretrained}
 * reads them for {@code GPT2Tokenizer}: {@code tokenizer_config.json} first, then
 * {@code special_tokens_map.json}, whose special tokens override the config's, and
 * {@code added_tokens.json}. Any of the files may be absent.
 *
 * @param addBosToken    {@code add_bos_token}: whether the model's prompts start with {@link #bosToken}
 * @param bosToken       the BOS token's text; GPT2Tokenizer's default {@code <|endoftext|>} when no
 *                       file names it, null when a file sets it to null
 * @param addPrefixSpace {@code add_prefix_space}: a space is put before the text (false by default)
 * @param addedTokens    tokens added to the vocabulary ({@code added_tokens_decoder},
 *                       {@code added_tokens.json}), id order as listed
 */
record TokenizerConfig(boolean addBosToken, String bosToken, boolean addPrefixSpace, List<AddedToken> addedTokens) {

    /** GPT2Tokenizer's default {@code bos_token}. */
    static final String DEFAULT_BOS = "<|endoftext|>";

    /** No config files: GPT2Tokenizer's defaults. */
    static final TokenizerConfig DEFAULTS = new TokenizerConfig(false, DEFAULT_BOS, false, List.of());

    /** A token of the added vocabulary, with its matching flags as the file gives them (AddedToken's defaults otherwise). */
    record AddedToken(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
            boolean normalized) {

        /** AddedToken's defaults: whole-text matching, normalized unless special. */
        AddedToken(int id, String content, boolean special) {
            this(id, content, special, false, false, false, !special);
        }
    }

    TokenizerConfig {
        addedTokens = List.copyOf(addedTokens);
    }

    static TokenizerConfig read(TokenizerFiles files) {
        JsonObject config = optional(files.tokenizerConfig(), "tokenizer_config.json");
        JsonObject specialMap = optional(files.specialTokensMap(), "special_tokens_map.json");
        JsonObject addedJson = optional(files.addedTokens(), "added_tokens.json");

        boolean addBos = flag(config, "add_bos_token", files.tokenizerConfig());
        boolean prefixSpace = flag(config, "add_prefix_space", files.tokenizerConfig());
        String bos = DEFAULT_BOS;
        if (config.has("bos_token")) {
            bos = tokenText(config.get("bos_token"), "bos_token", files.tokenizerConfig());
        }
        if (specialMap.has("bos_token")) { // the map wins, as in from_pretrained
            bos = tokenText(specialMap.get("bos_token"), "bos_token", files.specialTokensMap());
        }

        List<AddedToken> added = new ArrayList<>();
        JsonElement decoder = config.get("added_tokens_decoder");
        if (decoder != null && decoder.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : decoder.getAsJsonObject().entrySet()) {
                int id = id(e.getKey(), files.tokenizerConfig());
                if (!e.getValue().isJsonObject()) {
                    throw bad(files.tokenizerConfig(), "added_tokens_decoder[\"" + e.getKey() + "\"] is not an object");
                }
                JsonObject token = e.getValue().getAsJsonObject();
                String content = tokenText(token, "added_tokens_decoder[\"" + e.getKey() + "\"]", files.tokenizerConfig());
                if (content == null) {
                    throw bad(files.tokenizerConfig(), "added_tokens_decoder[\"" + e.getKey() + "\"] has no content");
                }
                boolean special = bool(token, "special", false);
                added.add(new AddedToken(id, content, special, bool(token, "single_word", false),
                        bool(token, "lstrip", false), bool(token, "rstrip", false), bool(token, "normalized", !special)));
            }
        }
        for (Map.Entry<String, JsonElement> e : addedJson.entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw bad(files.addedTokens(), "the id of '" + e.getKey() + "' is " + v + ", not a number");
            }
            int id = id(v.getAsString(), files.addedTokens());
            if (added.stream().noneMatch(t -> t.id() == id)) {
                added.add(new AddedToken(id, e.getKey(), false));
            }
        }
        return new TokenizerConfig(addBos, bos, prefixSpace, added);
    }

    private static JsonObject optional(Path file, String what) {
        return Files.isRegularFile(file) ? JsonFile.object(file, what) : new JsonObject();
    }

    private static boolean bool(JsonObject o, String key, boolean absent) {
        JsonElement v = o.get(key);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() ? v.getAsBoolean() : absent;
    }

    /** A boolean setting: false when absent or null. */
    private static boolean flag(JsonObject config, String key, Path file) {
        JsonElement v = config.get(key);
        if (v == null || v.isJsonNull()) {
            return false;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
            throw bad(file, key + " is " + v + ", not true or false");
        }
        return v.getAsBoolean();
    }

    /** A special token as the files write it: a string, or an AddedToken object with its content; null stays null. */
    private static String tokenText(JsonElement v, String key, Path file) {
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
            return v.getAsString();
        }
        if (v.isJsonObject()) {
            JsonElement content = v.getAsJsonObject().get("content");
            if (content != null && content.isJsonPrimitive() && content.getAsJsonPrimitive().isString()) {
                return content.getAsString();
            }
        }
        throw bad(file, key + " is " + v + ", neither a string nor an object with a \"content\" string");
    }

    private static int id(String text, Path file) {
        try {
            int id = Integer.parseInt(text.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, "'" + text + "' is not a token id (a whole number ≥ 0)");
    }

    private static TokenizerException bad(Path file, String what) {
        return new TokenizerException("The tokenizer config " + file + " is not as transformers writes it: " + what
                + ". Replace it with the file of the model's hub repository.");
    }
}

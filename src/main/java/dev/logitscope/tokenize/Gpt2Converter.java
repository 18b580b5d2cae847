package dev.logitscope.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokenizer.json} that transformers' {@code GPT2Converter} (convert_slow_tokenizer.py)
 * makes of a {@code vocab.json} + {@code merges.txt} folder, built in memory: a BPE model (no
 * dropout, no unknown token, no subword prefix or suffix, {@code fuse_unk} off), a ByteLevel
 * pre-tokenizer with the config's {@code add_prefix_space} (offsets trimmed, GPT-2's regex), a
 * ByteLevel decoder, and as post-processor {@code TemplateProcessing("<bos>:0 $A:0")} when the
 * config says {@code add_bos_token}, else {@code ByteLevel(trim_offsets=False)}, which changes
 * nothing. The added tokens are the config's. GPT-2's own tokenizer.json is this file.
 */
final class Gpt2Converter {
    private Gpt2Converter() {}

    static JsonObject tokenizerJson(Path vocabFile, Path mergesFile, TokenizerConfig config) {
        Map<String, Integer> vocab = vocab(vocabFile);
        List<String> merges = MergesFile.parse(JsonFile.text(mergesFile, "merges.txt"), vocab, mergesFile);

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        root.add("added_tokens", addedTokens(config));
        root.add("normalizer", JsonNull.INSTANCE);
        root.add("pre_tokenizer", byteLevel(config.addPrefixSpace(), true));
        root.add("post_processor", config.addBosToken() && config.bosToken() != null
                ? bosTemplate(config.bosToken(), bosId(config, vocab, vocabFile))
                : byteLevel(true, false));
        root.add("decoder", byteLevel(true, true));
        root.add("model", bpe(vocab, merges));
        return root;
    }

    /** vocab.json: token → id, in file order. */
    static Map<String, Integer> vocab(Path file) {
        JsonObject json = JsonFile.object(file, "vocab.json");
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            JsonElement v = e.getValue();
            int id = -1;
            if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
                double d = v.getAsDouble();
                if (d >= 0 && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
                    id = (int) d;
                }
            }
            if (id < 0) {
                throw new TokenizerException("Cannot read the tokenizer's " + file + ": it maps '" + e.getKey()
                        + "' to " + v + ", not a token id (a whole number ≥ 0). Replace it with the vocab.json of the"
                        + " model's hub repository.");
            }
            vocab.put(e.getKey(), id);
        }
        if (vocab.isEmpty()) {
            throw new TokenizerException("Cannot read the tokenizer's " + file + ": it has no tokens. Replace it with"
                    + " the vocab.json of the model's hub repository.");
        }
        return vocab;
    }

    /** {@code convert_tokens_to_ids(bos_token)}: the added tokens first, then the vocabulary. */
    private static int bosId(TokenizerConfig config, Map<String, Integer> vocab, Path vocabFile) {
        String bos = config.bosToken();
        for (TokenizerConfig.AddedToken t : config.addedTokens()) {
            if (t.content().equals(bos)) {
                return t.id();
            }
        }
        Integer id = vocab.get(bos);
        if (id == null) {
            throw new TokenizerException("The tokenizer config asks for a BOS token (add_bos_token: true), but its"
                    + " bos_token '" + bos + "' is neither in " + vocabFile + " nor among the added tokens. Replace the"
                    + " tokenizer files with those of the model's hub repository.");
        }
        return id;
    }

    private static JsonArray addedTokens(TokenizerConfig config) {
        JsonArray out = new JsonArray();
        for (TokenizerConfig.AddedToken t : config.addedTokens()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", t.id());
            o.addProperty("content", t.content());
            o.addProperty("single_word", t.singleWord());
            o.addProperty("lstrip", t.lstrip());
            o.addProperty("rstrip", t.rstrip());
            o.addProperty("normalized", t.normalized());
            o.addProperty("special", t.special());
            out.add(o);
        }
        return out;
    }

    private static JsonObject byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "ByteLevel");
        o.addProperty("add_prefix_space", addPrefixSpace);
        o.addProperty("trim_offsets", trimOffsets);
        o.addProperty("use_regex", true);
        return o;
    }

    /** {@code TemplateProcessing(single="<bos>:0 $A:0", pair="<bos>:0 $A:0 $B:1")}. */
    private static JsonObject bosTemplate(String bos, int bosId) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "TemplateProcessing");
        JsonArray single = new JsonArray();
        single.add(special(bos));
        single.add(sequence("A", 0));
        JsonArray pair = single.deepCopy();
        pair.add(sequence("B", 1));
        o.add("single", single);
        o.add("pair", pair);
        JsonObject entry = new JsonObject();
        entry.addProperty("id", bos);
        JsonArray ids = new JsonArray();
        ids.add(bosId);
        entry.add("ids", ids);
        JsonArray tokens = new JsonArray();
        tokens.add(bos);
        entry.add("tokens", tokens);
        JsonObject specials = new JsonObject();
        specials.add(bos, entry);
        o.add("special_tokens", specials);
        return o;
    }

    private static JsonObject special(String name) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", name);
        inner.addProperty("type_id", 0);
        JsonObject o = new JsonObject();
        o.add("SpecialToken", inner);
        return o;
    }

    private static JsonObject sequence(String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject o = new JsonObject();
        o.add("Sequence", inner);
        return o;
    }

    private static JsonObject bpe(Map<String, Integer> vocab, List<String> merges) {
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject v = new JsonObject();
        vocab.forEach((token, id) -> v.add(token, new JsonPrimitive(id)));
        model.add("vocab", v);
        JsonArray m = new JsonArray(merges.size());
        merges.forEach(m::add);
        model.add("merges", m);
        return model;
    }
}

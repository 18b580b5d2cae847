package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny OPT-style tokenizer, generated in code: OPT's vocabulary starts with its four specials
 * ({@code <s>} 0, {@code <pad>} 1, {@code </s>} 2, {@code <unk>} 3), then come byte-level pieces;
 * its {@code tokenizer_config.json} says {@code add_bos_token: true} with {@code </s>} as
 * {@code bos_token} (written as facebook/opt-125m writes it: AddedToken objects, GPT2Tokenizer
 * class), so every prompt starts with id 2. Here the pieces are {@link TinyTokenizer}'s 256 bytes
 * and its first {@link #MERGES} merges (GPT-2's), so the vocabulary has exactly
 * {@link TinyTokenizer#VOCAB_SIZE} entries and fits a tiny checkpoint.
 */
public final class OptLikeTokenizer {
    public static final int BOS = 2;
    public static final String BOS_TOKEN = "</s>";
    public static final int MERGES = TinyTokenizer.MERGES.size() - 3;
    public static final int VOCAB_SIZE = 4 + 256 + MERGES;

    private OptLikeTokenizer() {}

    /** Specials, then TinyTokenizer's bytes and first merges, each 4 ids further on. */
    public static Map<String, Integer> vocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<s>", "<pad>", BOS_TOKEN, "<unk>")) {
            vocab.put(special, vocab.size());
        }
        for (String piece : TinyTokenizer.vocab().keySet()) {
            if (vocab.size() < VOCAB_SIZE) {
                vocab.put(piece, vocab.size());
            }
        }
        return vocab;
    }

    /** The merge lines, in rank order, as merges.txt writes them. */
    public static List<String> mergeLines() {
        return TinyTokenizer.MERGES.subList(0, MERGES);
    }

    /** Writes vocab.json and merges.txt (header line, one rule a line, final line break). */
    public static void writeVocabAndMerges(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("vocab.json"),
                new GsonBuilder().disableHtmlEscaping().create().toJson(vocab()), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", mergeLines()) + "\n",
                StandardCharsets.UTF_8);
    }

    /** OPT's tokenizer_config.json and special_tokens_map.json, with {@code add_bos_token} as given. */
    public static void writeConfig(Path folder, boolean addBosToken) throws IOException {
        Files.createDirectories(folder);
        String config = "{\"errors\": \"replace\", \"unk_token\": " + added(BOS_TOKEN) + ", \"bos_token\": "
                + added(BOS_TOKEN) + ", \"eos_token\": " + added(BOS_TOKEN) + ", \"pad_token\": " + added("<pad>")
                + ", \"add_prefix_space\": false, \"model_max_length\": 1000000000000000019884624838656,"
                + " \"name_or_path\": \"patrickvonplaten/opt-30b\", \"add_bos_token\": " + addBosToken
                + ", \"special_tokens_map_file\": null, \"tokenizer_class\": \"GPT2Tokenizer\"}";
        Files.writeString(folder.resolve("tokenizer_config.json"), config, StandardCharsets.UTF_8);
        String map = "{\"bos_token\": " + plain(BOS_TOKEN) + ", \"eos_token\": " + plain(BOS_TOKEN)
                + ", \"unk_token\": " + plain(BOS_TOKEN) + ", \"pad_token\": " + plain("<pad>") + "}";
        Files.writeString(folder.resolve("special_tokens_map.json"), map, StandardCharsets.UTF_8);
    }

    /**
     * The tokenizer.json OPT's hub repositories carry: the converter's file with
     * {@code TemplateProcessing("</s>:0 $A:0")} as post-processor and the specials as added tokens.
     */
    public static String tokenizerJson() {
        return tokenizerJson(true);
    }

    /** The same with GPT-2's do-nothing {@code ByteLevel} post-processor when {@code bosTemplate} is false. */
    public static String tokenizerJson(boolean bosTemplate) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", List.of(addedToken(1, "<pad>"), addedToken(BOS, BOS_TOKEN)));
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel(false, true));
        Map<String, Object> byteLevelProcessor = byteLevel(true, false);
        root.put("post_processor", !bosTemplate ? byteLevelProcessor : Map.of("type", "TemplateProcessing",
                "single", List.of(Map.of("SpecialToken", Map.of("id", BOS_TOKEN, "type_id", 0)),
                        Map.of("Sequence", Map.of("id", "A", "type_id", 0))),
                "pair", List.of(Map.of("SpecialToken", Map.of("id", BOS_TOKEN, "type_id", 0)),
                        Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                        Map.of("Sequence", Map.of("id", "B", "type_id", 1))),
                "special_tokens", Map.of(BOS_TOKEN, Map.of("id", BOS_TOKEN, "ids", List.of(BOS),
                        "tokens", List.of(BOS_TOKEN)))));
        root.put("decoder", byteLevel(true, true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab());
        model.put("merges", mergeLines());
        root.put("model", model);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(root);
    }

    private static String added(String content) {
        return "{\"content\": \"" + content + "\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                + " \"normalized\": true, \"__type\": \"AddedToken\"}";
    }

    private static String plain(String content) {
        return "{\"content\": \"" + content + "\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                + " \"normalized\": true}";
    }

    private static Map<String, Object> addedToken(int id, String content) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", true);
        token.put("special", true);
        return token;
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", true);
        return m;
    }
}

package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny GPT-2-style byte-level BPE {@code tokenizer.json}, generated in code.
 *
 * <p>Ids 0..255 are the 256 byte-level characters in GPT-2's {@code bytes_to_unicode} order, ids
 * 256.. are the first {@link #MERGES}.size() merges of the real GPT-2 tokenizer (in its order), and
 * the last id is {@code <|endoftext|>}. So every id below {@link #END_OF_TEXT} means the same piece
 * as in the real GPT-2 vocabulary. Any text round-trips (byte-level BPE covers every byte).
 */
public final class TinyTokenizer {

    /** The first merges of GPT-2's merges.txt, in order; each adds one vocabulary entry. */
    public static final List<String> MERGES = List.of(
            "Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he", "e r", "Ġ s", "a t",
            "Ġ w", "Ġ o", "e n", "Ġ c", "i t", "i s", "a n", "o r", "e s", "Ġ b",
            "e d", "Ġ f", "in g", "Ġ p", "o u", "Ġa n", "a l", "a r", "Ġt o", "Ġ m",
            "Ġo f", "Ġ in", "Ġ d", "Ġ h", "Ġan d", "i c", "a s", "l e", "Ġt h", "i on",
            "o m", "l l", "en t");

    public static final String END_OF_TEXT_TOKEN = "<|endoftext|>";
    /** Id of {@code <|endoftext|>}, the last id. */
    public static final int END_OF_TEXT = 256 + MERGES.size();
    /** 256 bytes + merges + {@code <|endoftext|>} = 300. */
    public static final int VOCAB_SIZE = END_OF_TEXT + 1;

    private TinyTokenizer() {}

    /** Writes {@code tokenizer.json} to {@code file} (creating parent folders); returns the file. */
    public static Path write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, json(), StandardCharsets.UTF_8);
        return file;
    }

    /** Writes {@code folder/tokenizer.json}; returns the file. */
    public static Path writeTo(Path folder) throws IOException {
        return write(folder.resolve("tokenizer.json"));
    }

    /** The tokenizer.json text. */
    public static String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", List.of(addedToken()));
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel(false, true, true));
        root.put("post_processor", byteLevel(true, false, true));
        root.put("decoder", byteLevel(true, true, true));
        root.put("model", model());
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(root);
    }

    /** The vocabulary, piece → id, in id order, {@code <|endoftext|>} last (as in GPT-2's vocab.json). */
    public static Map<String, Integer> vocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (char c : byteLevelCharactersInIdOrder()) {
            vocab.put(String.valueOf(c), vocab.size());
        }
        for (String merge : MERGES) {
            String[] parts = merge.split(" ");
            if (!vocab.containsKey(parts[0]) || !vocab.containsKey(parts[1])) {
                throw new IllegalStateException("merge of unknown pieces: " + merge);
            }
            vocab.put(parts[0] + parts[1], vocab.size());
        }
        vocab.put(END_OF_TEXT_TOKEN, vocab.size());
        return vocab;
    }

    /**
     * GPT-2's {@code bytes_to_unicode}: entry b is the character standing for byte b. The order of
     * ids is different: printable bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') first, then the rest.
     */
    public static char[] byteToUnicode() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) (256 + extra++);
        }
        return map;
    }

    /** The byte-level characters in id order: printable bytes first, then the remapped ones. */
    private static List<Character> byteLevelCharactersInIdOrder() {
        char[] map = byteToUnicode();
        List<Character> order = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if (map[b] == b) {
                order.add(map[b]);
            }
        }
        for (int b = 0; b < 256; b++) {
            if (map[b] != b) {
                order.add(map[b]);
            }
        }
        return order;
    }

    private static Map<String, Object> model() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab());
        model.put("merges", MERGES);
        return model;
    }

    private static Map<String, Object> addedToken() {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", END_OF_TEXT);
        token.put("content", END_OF_TEXT_TOKEN);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", true);
        token.put("special", true);
        return token;
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", useRegex);
        return m;
    }
}

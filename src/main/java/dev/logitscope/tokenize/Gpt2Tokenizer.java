package dev.logitscope.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GPT-2 byte-level BPE tokenizer (also GPT-Neo's and OPT's), built so that the prompt analysed
 * is exactly the prompt shown: truncation and padding off and no added special tokens, whatever
 * {@code tokenizer.json} says (DJL truncates to 512 tokens by default and only logs a warning) —
 * except the BOS a model's config asks for, which {@link #encodePrompt} puts first (see
 * {@link PromptPrefix} for the rule). It is read from {@code tokenizer.json}, or built from
 * {@code vocab.json} + {@code merges.txt} as transformers' converter builds it ({@link Gpt2Converter}).
 *
 * <p>User text is ordinary text, as OpenAI's encoder treats it: a review that contains
 * {@code <|endoftext|>} (or any other added token of {@code tokenizer.json}) is encoded as the
 * characters it is ({@code [27, 91, 437, 1659, 5239, 91, 29]}), not as a document boundary. The
 * Hugging Face tokenizer matches added tokens before its pre-tokenizer whatever
 * {@code add_special_tokens} says, so encoding uses a copy of the tokenizer without them; decoding
 * keeps the original, which knows every id.
 *
 * <p>Thread-safe for encoding and decoding; close it when done (it holds native handles).
 */
public final class Gpt2Tokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS =
            Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");

    private final HuggingFaceTokenizer encoder;
    private final HuggingFaceTokenizer decoder;
    /** The special tokens every prompt starts with (OPT's BOS); empty for GPT-2. */
    private final List<Token> prefix;

    private Gpt2Tokenizer(HuggingFaceTokenizer encoder, HuggingFaceTokenizer decoder, List<Token> prefix) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.prefix = List.copyOf(prefix);
    }

    /**
     * Loads {@code tokenizer.json} from a folder, or a {@code tokenizer.json} file itself, with no
     * config files (a BOS only when its own post-processor adds one). Models load through
     * {@link #open(TokenizerFiles)}.
     */
    public static Gpt2Tokenizer open(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve("tokenizer.json") : folderOrFile;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException("No tokenizer found: " + file + " does not exist. A model folder needs"
                    + " config.json, model.safetensors and tokenizer.json (GPT-2's tokenizer.json works for"
                    + " every GPT-2 size).");
        }
        return fromTokenizerJson(file, TokenizerConfig.DEFAULTS);
    }

    /**
     * Loads a model's tokenizer: {@code tokenizer.json} when present (transformers prefers it),
     * else {@code vocab.json} + {@code merges.txt}; the config files say whether prompts start with
     * a BOS and, for vocab.json, whether a space goes before the text.
     */
    public static Gpt2Tokenizer open(TokenizerFiles files) {
        TokenizerConfig config = TokenizerConfig.read(files);
        if (files.hasTokenizerJson()) {
            return fromTokenizerJson(files.tokenizerJson(), config);
        }
        if (!files.hasVocabAndMerges()) {
            throw new TokenizerException("No tokenizer found in " + files.tokenizerJson().toAbsolutePath().getParent()
                    + ": it needs " + files.tokenizerJson().getFileName() + ", or " + files.vocab().getFileName()
                    + " and " + files.merges().getFileName() + ". Download them from the model's hub repository"
                    + " (GPT-2's tokenizer works for every GPT-2 size).");
        }
        JsonObject json = Gpt2Converter.tokenizerJson(files.vocab(), files.merges(), config);
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        String source = files.vocab() + " and " + files.merges();
        return build(bytes, withoutAddedTokens(json), PromptPrefix.of(json, config, source), source);
    }

    private static Gpt2Tokenizer fromTokenizerJson(Path file, TokenizerConfig config) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TokenizerException("Cannot read the tokenizer " + file + ": permission denied. Make the file"
                    + " readable (chmod a+r) or copy the model folder somewhere you can read.", e);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read the tokenizer " + file + ": " + e.getMessage()
                    + ". Replace it with the tokenizer.json of the model's hub repository.", e);
        }
        try {
            JsonObject json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            return build(bytes, withoutAddedTokens(json), PromptPrefix.of(json, config, file.toString()),
                    file.toString());
        } catch (TokenizerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TokenizerException("Cannot read the tokenizer " + file + ": " + e.getMessage()
                    + ". Replace it with the tokenizer.json of the model's hub repository.", e);
        }
    }

    /** The two native tokenizers: the decoder from the whole file, the encoder without added tokens. */
    private static Gpt2Tokenizer build(byte[] json, byte[] withoutAdded, List<Token> prefix, String source) {
        try {
            HuggingFaceTokenizer decoder = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), OPTIONS);
            try {
                HuggingFaceTokenizer encoder = HuggingFaceTokenizer.newInstance(
                        new ByteArrayInputStream(withoutAdded), OPTIONS);
                return new Gpt2Tokenizer(encoder, decoder, prefix);
            } catch (IOException | RuntimeException e) {
                decoder.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("Cannot read the tokenizer " + source + ": " + e.getMessage()
                    + ". Replace it with the tokenizer files of the model's hub repository.", e);
        }
    }

    /** {@code tokenizer.json} with an empty {@code added_tokens} list: their ids stay in the BPE vocabulary. */
    private static byte[] withoutAddedTokens(JsonObject json) {
        JsonObject root = json.deepCopy();
        root.add("added_tokens", new JsonArray());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The special tokens every prompt starts with, as the model's config asks ({@code </s>} for
     * OPT); empty for GPT-2. Label words and other pieces of text never get them.
     */
    public List<Token> promptPrefix() {
        return prefix;
    }

    /**
     * The tokens the model reads for a whole prompt: {@link #promptPrefix} (OPT's BOS), then
     * {@link #encode}{@code (text)} — the ids of transformers' {@code tokenizer(text)}.
     */
    public List<Token> encodePrompt(String text) {
        if (prefix.isEmpty()) {
            return encode(text);
        }
        List<Token> tokens = new ArrayList<>(prefix);
        tokens.addAll(encode(text));
        return tokens;
    }

    /** How many tokens {@link #encodePrompt} gives for {@code text}. */
    public int promptLength(String text) {
        return prefix.size() + encodeIds(text).length;
    }

    /** Token ids of {@code text}, nothing added (no BOS), nothing cut. */
    public int[] encodeIds(String text) {
        long[] ids = encoder.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Tokens of {@code text} (no BOS) with their text, display form and UTF-16 offsets into {@code text}. */
    public List<Token> encode(String text) {
        Encoding encoding = encoder.encode(text, false, false);
        long[] ids = encoding.getIds();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] utf16Index = codePointToUtf16Index(text);
        List<Token> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = Math.toIntExact(ids[i]);
            CharSpan span = spans == null || i >= spans.length ? null : spans[i];
            int start = -1;
            int end = -1;
            if (span != null && span.getStart() >= 0 && span.getEnd() < utf16Index.length) {
                start = utf16Index[span.getStart()];
                end = utf16Index[span.getEnd()];
            }
            String piece = decode(id);
            tokens.add(new Token(id, piece, TokenDisplay.visible(piece), start, end));
        }
        return tokens;
    }

    /** The text of one token (a partial multi-byte character decodes to U+FFFD). */
    public String decode(int id) {
        return decoder.decode(new long[] {id}, false);
    }

    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return decoder.decode(longs, false);
    }

    /** The display form of one token, whitespace made visible. */
    public String display(int id) {
        return TokenDisplay.visible(decode(id));
    }

    /**
     * The tokenizer reports spans in Unicode code points; Java strings index UTF-16 units. Entry k
     * is the UTF-16 index of code point k (the last entry is the string's length).
     */
    static int[] codePointToUtf16Index(String text) {
        int count = text.codePointCount(0, text.length());
        int[] index = new int[count + 1];
        int utf16 = 0;
        for (int cp = 0; cp < count; cp++) {
            index[cp] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        index[count] = text.length();
        return index;
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}

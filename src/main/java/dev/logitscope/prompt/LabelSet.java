package dev.logitscope.prompt;

import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The label words of a prompt, tokenised, in class order: what the lens reads at the last position.
 *
 * @param tokens   each class's token(s), at least two, first tokens all different
 * @param warnings things the user should know, e.g. that a label word is several tokens
 */
public record LabelSet(List<LabelToken> tokens, List<String> warnings) {

    public LabelSet {
        tokens = List.copyOf(tokens);
        warnings = List.copyOf(warnings);
        if (tokens.size() < 2) {
            throw new PromptException("A label set needs at least two label words (got " + tokens.size() + ").");
        }
        for (int i = 0; i < tokens.size(); i++) {
            for (int j = 0; j < i; j++) {
                LabelToken a = tokens.get(j);
                LabelToken b = tokens.get(i);
                if (a.firstId() == b.firstId()) {
                    throw new PromptException("The label words '" + a.word() + "' and '" + b.word()
                            + "' both begin with the token '" + a.firstToken() + "' (id " + a.firstId()
                            + "), so the lens cannot tell them apart; choose words that start differently.");
                }
            }
        }
    }

    /** The two-label set, positive first. */
    public LabelSet(LabelToken positive, LabelToken negative, List<String> warnings) {
        this(List.of(positive, negative), warnings);
    }

    /** Tokenises the label words with GPT-2's tokenizer. */
    public static LabelSet of(LabelWords words, Gpt2Tokenizer tokenizer) {
        return of(words, tokenizer::encodeIds, tokenizer::decode);
    }

    /**
     * Tokenises each label word as it stands in the prompt (leading space included) with
     * {@code encode}; {@code decode} names a token in the warnings.
     */
    public static LabelSet of(LabelWords words, Function<String, int[]> encode, IntFunction<String> decode) {
        List<String> warnings = new ArrayList<>();
        List<LabelToken> tokens = new ArrayList<>(words.size());
        for (String word : words.words()) {
            tokens.add(token(word, encode, decode, warnings));
        }
        return new LabelSet(tokens, warnings);
    }

    private static LabelToken token(String word, Function<String, int[]> encode, IntFunction<String> decode,
            List<String> warnings) {
        int[] ids = encode.apply(word);
        if (ids.length == 0) {
            throw new PromptException("The label word '" + word + "' has no tokens.");
        }
        String first = decode.apply(ids[0]);
        if (ids.length > 1) {
            warnings.add("'" + word + "' is " + ids.length + " tokens; the lens reads its first token '" + first + "'");
        }
        return new LabelToken(word, ids, ids[0], first);
    }

    public int size() {
        return tokens.size();
    }

    public LabelToken positive() {
        return tokens.get(0);
    }

    public LabelToken negative() {
        return tokens.get(1);
    }

    public LabelToken token(Sentiment label) {
        return tokens.get(label.index());
    }

    /** The label words, as put in the prompt, in class order. */
    public List<String> words() {
        return tokens.stream().map(LabelToken::word).toList();
    }

    /** The ids the lens reads, in class order (positive, negative for two labels). */
    public int[] firstIds() {
        return tokens.stream().mapToInt(LabelToken::firstId).toArray();
    }
}

package dev.logitscope.prompt;

import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The label words of a prompt, tokenised: what the lens reads at the last position.
 *
 * @param positive the positive label's token(s)
 * @param negative the negative label's token(s)
 * @param warnings things the user should know, e.g. that a label word is several tokens
 */
public record LabelSet(LabelToken positive, LabelToken negative, List<String> warnings) {

    public LabelSet {
        warnings = List.copyOf(warnings);
        if (positive.firstId() == negative.firstId()) {
            throw new PromptException("The label words '" + positive.word() + "' and '" + negative.word()
                    + "' both begin with the token '" + positive.firstToken() + "' (id " + positive.firstId()
                    + "), so the lens cannot tell them apart; choose words that start differently.");
        }
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
        LabelToken positive = token(words.positive(), encode, decode, warnings);
        LabelToken negative = token(words.negative(), encode, decode, warnings);
        return new LabelSet(positive, negative, warnings);
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

    public LabelToken token(Sentiment sentiment) {
        return sentiment == Sentiment.POSITIVE ? positive : negative;
    }

    /** The ids the lens reads, in {@link Sentiment} order (positive, negative). */
    public int[] firstIds() {
        return new int[] {positive.firstId(), negative.firstId()};
    }
}

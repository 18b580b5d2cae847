package dev.logitscope.prompt;

import java.util.Arrays;

/**
 * A label word and its tokens. The lens reads {@link #firstId()}: the model commits to a label with
 * the first token of its word.
 *
 * @param word       the label word as put in the prompt, leading space included
 * @param tokenIds   its token ids (at least one)
 * @param firstId    the first of them
 * @param firstToken the first token's text, for display
 */
public record LabelToken(String word, int[] tokenIds, int firstId, String firstToken) {
    public LabelToken {
        if (tokenIds == null || tokenIds.length == 0) {
            throw new PromptException("The label word '" + word + "' has no tokens.");
        }
        tokenIds = tokenIds.clone();
        if (firstId != tokenIds[0]) {
            throw new IllegalArgumentException("firstId " + firstId + " is not the first of " + Arrays.toString(tokenIds));
        }
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    public boolean multiToken() {
        return tokenIds.length > 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelToken t && word.equals(t.word) && Arrays.equals(tokenIds, t.tokenIds)
                && firstToken.equals(t.firstToken);
    }

    @Override
    public int hashCode() {
        return 31 * word.hashCode() + Arrays.hashCode(tokenIds);
    }

    @Override
    public String toString() {
        return "LabelToken['" + word + "' " + Arrays.toString(tokenIds) + "]";
    }
}

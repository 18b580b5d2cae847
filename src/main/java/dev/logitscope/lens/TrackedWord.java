package dev.logitscope.lens;

/**
 * A word whose probability is followed through the layers (a label word such as " positive").
 * The lens reads its first token; {@code tokenIds} shows the whole tokenisation.
 */
public record TrackedWord(String word, int[] tokenIds) {

    public TrackedWord {
        if (tokenIds.length == 0) {
            throw new IllegalArgumentException("'" + word + "' has no tokens");
        }
        tokenIds = tokenIds.clone();
    }

    public int firstTokenId() {
        return tokenIds[0];
    }

    public boolean isMultiToken() {
        return tokenIds.length > 1;
    }
}

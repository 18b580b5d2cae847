package dev.logitscope.train;

/**
 * Labelled token sequences: the training or dev set as the model reads it (each review's tokens
 * as they are, no template, no added tokens).
 *
 * @param ids    per example, its token ids
 * @param labels per example, the class index (row of {@code score})
 */
public record Examples(int[][] ids, int[] labels) {
    public Examples {
        if (ids.length != labels.length) {
            throw new IllegalArgumentException(ids.length + " sequences but " + labels.length + " labels");
        }
        for (int[] sequence : ids) {
            if (sequence.length == 0) {
                throw new IllegalArgumentException("an example has no tokens");
            }
        }
    }

    public int size() {
        return ids.length;
    }

    /** Tokens of all examples together. */
    public long tokens() {
        long n = 0;
        for (int[] sequence : ids) {
            n += sequence.length;
        }
        return n;
    }
}

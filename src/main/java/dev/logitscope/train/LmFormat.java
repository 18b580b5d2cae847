package dev.logitscope.train;

/**
 * How labelled reviews become causal-LM training text: each example is {@code template} with its
 * review and its class name filled in, tokenized; then either concatenated and cut into blocks of
 * {@code blockSize} tokens (transformers' {@code run_clm} {@code group_texts}: no separator added,
 * the remainder dropped; the seed's recipe, 128) or, with {@code blockSize} 0, one example per
 * sequence (each label sees its whole review).
 *
 * @param template  text with {@code {review}} and then {@code {label}}
 * @param blockSize tokens per block, or 0 for one example per sequence
 * @param lossOn    which tokens are predicted in the loss
 */
public record LmFormat(String template, int blockSize, LossOn lossOn) {
    /** The seed's LM fine-tuning format (its IMDB run: "Text: …\nSentiment: positive"). */
    public static final String SEED_TEMPLATE = "Text: {review}\nSentiment: {label}";
    /** The seed's block length. */
    public static final int SEED_BLOCK_SIZE = 128;
    public static final String REVIEW = "{review}";
    public static final String LABEL = "{label}";

    /** The tokens the loss predicts. */
    public enum LossOn {
        /** Every token (transformers' causal-LM loss with labels = input_ids). */
        ALL,
        /** Only the label word's tokens (the others are -100 in transformers' terms). */
        LABEL;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LmFormat {
        int review = template.indexOf(REVIEW);
        int label = template.indexOf(LABEL);
        if (review < 0 || label < 0 || template.indexOf(REVIEW, review + 1) >= 0 || template.indexOf(LABEL, label + 1) >= 0
                || label < review) {
            throw new IllegalArgumentException("the template must hold {review} once and then {label} once, got \""
                    + template.replace("\n", "\\n") + "\"");
        }
        if (blockSize < 0 || blockSize == 1) {
            throw new IllegalArgumentException("a block must have at least 2 tokens (or 0: one example per sequence), got "
                    + blockSize);
        }
    }

    /** "blocks of N tokens" or "one example per sequence", for the record. */
    public String layoutText() {
        return blockSize == 0 ? "one example per sequence" : "blocks of " + blockSize + " tokens";
    }

    /** The text before the label with its trailing spaces left to the label (they join its first token). */
    String prefix(String review) {
        String before = template.substring(0, template.indexOf(LABEL)).replace(REVIEW, review);
        return before.stripTrailing();
    }

    /** The label's text as it follows {@link #prefix}: the template's spaces before it, the name, what follows. */
    String labelText(String className) {
        String before = template.substring(0, template.indexOf(LABEL));
        String gap = before.substring(before.stripTrailing().length());
        return gap + className + template.substring(template.indexOf(LABEL) + LABEL.length());
    }
}

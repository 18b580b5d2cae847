package dev.logitscope.prompt;

/**
 * One word per class, exactly as it is put into the prompt. For label words that includes the
 * leading space ({@code " positive"}), because GPT-2 predicts the space together with the word.
 */
public record LabelWords(String positive, String negative) {

    /** The lens-reading default: lower-case words with their leading space. */
    public static final LabelWords LOWER = new LabelWords(" positive", " negative");
    /** The class names put into the loss method's prompt. */
    public static final LabelWords CLASS_NAMES = new LabelWords("positive", "negative");

    public LabelWords {
        if (positive == null || positive.isBlank() || negative == null || negative.isBlank()) {
            throw new PromptException("Label words must not be empty (got '" + positive + "' and '"
                    + negative + "').");
        }
        if (positive.equals(negative)) {
            throw new PromptException("Both classes have the label word '" + positive
                    + "'; give them different words.");
        }
    }

    public String word(Sentiment sentiment) {
        return sentiment == Sentiment.POSITIVE ? positive : negative;
    }
}

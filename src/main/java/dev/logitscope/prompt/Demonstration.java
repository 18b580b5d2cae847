package dev.logitscope.prompt;

/** A labelled review that can be shown to the model as an example. The review is stored stripped. */
public record Demonstration(String review, Sentiment label) {
    public Demonstration {
        if (review == null || review.isBlank()) {
            throw new PromptException("A demonstration needs a review text.");
        }
        if (label == null) {
            throw new PromptException("A demonstration needs a label.");
        }
        review = review.strip();
    }
}

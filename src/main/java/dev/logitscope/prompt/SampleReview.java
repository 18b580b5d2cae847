package dev.logitscope.prompt;

import java.util.Optional;

/** A review to try first, with the label a reader would give it, if there is one. */
public record SampleReview(String review, Optional<Sentiment> expected) {
    public SampleReview {
        if (review == null || review.isBlank()) {
            throw new PromptException("A sample needs a review text.");
        }
        review = review.strip();
        expected = expected == null ? Optional.empty() : expected;
    }
}

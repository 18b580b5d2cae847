package dev.logitscope.analysis;

import dev.logitscope.prompt.PromptException;
import java.util.Locale;

/** Which tokens of a loss prompt the loss method averages over. */
public enum LossSpan {
    /**
     * Every predicted token of the whole prompt: tokens 1..n−1, each from the position before it,
     * the mean of a causal LM's loss with {@code labels = input_ids} (transformers shifts the labels
     * by one; GPT-2 adds no BOS, so token 0 is the prompt's first token and is not scored). The
     * inverse-scaling seed's definition, and the default.
     */
    WHOLE("every predicted token of the prompt (tokens 1..n-1, as a causal LM's loss with labels = input_ids)"),
    /** Only the review's tokens, each from the position before it. */
    REVIEW("the review's tokens only");

    private final String description;

    LossSpan(String description) {
        this.description = description;
    }

    /** "whole" / "review", as written on the command line and in JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What is scored, in words. */
    public String description() {
        return description;
    }

    /** The span named by {@code text}; null or blank means {@link #WHOLE}. */
    public static LossSpan parse(String text) {
        if (text == null || text.isBlank()) {
            return WHOLE;
        }
        for (LossSpan span : values()) {
            if (span.key().equalsIgnoreCase(text.strip())) {
                return span;
            }
        }
        throw new PromptException("Unknown loss span '" + text + "': write whole or review.");
    }
}

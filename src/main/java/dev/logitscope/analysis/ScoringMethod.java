package dev.logitscope.analysis;

import dev.logitscope.prompt.PromptException;
import java.util.Locale;

/** How a layer's verdict is read. */
public enum ScoringMethod {
    /** The probability of each label word as the next token (the logit lens at the last position). */
    NEXT_TOKEN,
    /** The LM loss of a class-conditioned prompt; see {@link LossScore} and {@link LossSpan}. */
    LOSS;

    /** "next-token" / "loss", as written on the command line and in JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ScoringMethod parse(String text) {
        for (ScoringMethod method : values()) {
            if (method.key().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return method;
            }
        }
        throw new PromptException("Unknown method '" + text + "': write next-token or loss.");
    }
}

package dev.logitscope.prompt;

import java.util.Locale;

/** The two classes of a movie review. The order (positive first) is the order of every label list. */
public enum Sentiment {
    POSITIVE,
    NEGATIVE;

    public Sentiment opposite() {
        return this == POSITIVE ? NEGATIVE : POSITIVE;
    }

    /** "positive" / "negative", as written in files and on the command line. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads "positive"/"negative" or "1"/"0" (SST-2's convention), ignoring case and surrounding
     * spaces.
     */
    public static Sentiment parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "positive", "pos", "1" -> POSITIVE;
            case "negative", "neg", "0" -> NEGATIVE;
            default -> throw new PromptException("Unknown label '" + text
                    + "': write positive or negative (or 1 or 0).");
        };
    }
}

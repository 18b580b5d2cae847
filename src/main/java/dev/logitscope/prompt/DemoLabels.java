package dev.logitscope.prompt;

import java.util.Locale;

/** Which label each demonstration shows: its true one, the opposite, or a seeded coin flip. */
public enum DemoLabels {
    CORRECT,
    FLIPPED,
    RANDOM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DemoLabels parse(String text) {
        for (DemoLabels mode : values()) {
            if (mode.key().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return mode;
            }
        }
        throw new PromptException("Unknown demo labels '" + text + "': write correct, flipped or random.");
    }
}

package dev.logitscope.prompt;

import java.util.Locale;

/** The order of the chosen demonstrations in the prompt. */
public enum DemoOrder {
    /**
     * Labels alternate, starting with the label that has more demonstrations (positive on a tie),
     * so no label gets a run at the end next to the query.
     */
    ALTERNATING,
    /** A seeded shuffle. */
    SHUFFLED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DemoOrder parse(String text) {
        for (DemoOrder order : values()) {
            if (order.key().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return order;
            }
        }
        throw new PromptException("Unknown demo order '" + text + "': write alternating or shuffled.");
    }
}

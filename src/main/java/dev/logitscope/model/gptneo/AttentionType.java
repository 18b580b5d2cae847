package dev.logitscope.model.gptneo;

import java.util.Locale;
import java.util.Optional;

/**
 * The two kinds of GPT-Neo attention layer ({@code config.attention_layers}): global layers see
 * every earlier position, local layers only the last {@code window_size} (the query's own included).
 */
public enum AttentionType {
    GLOBAL,
    LOCAL;

    /** The name config.json uses: {@code global} or {@code local}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type config.json names {@code name}, if it is one transformers accepts. */
    static Optional<AttentionType> of(String name) {
        for (AttentionType type : values()) {
            if (type.configName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

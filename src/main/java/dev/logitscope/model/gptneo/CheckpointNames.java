package dev.logitscope.model.gptneo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps the tensor names found in a GPT-Neo checkpoint to the canonical names of
 * {@code GPTNeoModel} ({@code wte.weight}, {@code h.0.attn.attention.q_proj.weight}, ...,
 * {@code lm_head.weight}). Files saved from {@code GPTNeoForCausalLM} prefix {@code transformer.};
 * older ones also carry each attention's causal-mask buffers {@code h.i.attn.attention.bias} /
 * {@code masked_bias}, which are not weights (the model builds its masks from the config).
 */
final class CheckpointNames {
    private static final String PREFIX = "transformer.";
    private static final Pattern MASK_BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.attention\\.(bias|masked_bias)");

    private CheckpointNames() {}

    /** The canonical name of a stored tensor, or empty when it is a buffer to skip. */
    static Optional<String> canonical(String stored) {
        String name = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
        return MASK_BUFFER.matcher(name).matches() ? Optional.empty() : Optional.of(name);
    }

    /** Whether {@code storedNames} hold a sequence-classification head ({@code score.weight}). */
    static boolean hasClassifierHead(Iterable<String> storedNames) {
        for (String stored : storedNames) {
            if (canonical(stored).filter("score.weight"::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * canonical name → stored name, for every weight in {@code storedNames}.
     *
     * @throws IllegalArgumentException when two stored names map to the same canonical name
     */
    static Map<String, String> index(Iterable<String> storedNames) {
        Map<String, String> index = new HashMap<>();
        for (String stored : storedNames) {
            canonical(stored).ifPresent(name -> {
                String previous = index.putIfAbsent(name, stored);
                if (previous != null) {
                    throw new IllegalArgumentException("holds both '" + previous + "' and '" + stored
                            + "'; it is not clear which one is the model's '" + name + "'");
                }
            });
        }
        return index;
    }
}

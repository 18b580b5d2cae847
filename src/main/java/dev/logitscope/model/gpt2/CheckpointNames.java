package dev.logitscope.model.gpt2;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps the tensor names found in a GPT-2 checkpoint to the canonical names of
 * {@code GPT2Model} ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, ..., {@code lm_head.weight}).
 * Files saved from {@code GPT2LMHeadModel} prefix {@code transformer.}; old ones also carry the
 * causal-mask buffers {@code h.i.attn.bias} / {@code h.i.attn.masked_bias}, which are not weights.
 */
final class CheckpointNames {
    private static final String PREFIX = "transformer.";
    private static final Pattern MASK_BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

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

package dev.logitscope.model.opt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the tensor names of an OPT checkpoint to the canonical names of {@code OPTDecoder}
 * ({@code embed_tokens.weight}, {@code layers.0.self_attn.q_proj.weight}, …) and
 * {@code lm_head.weight}. {@code OPTForCausalLM.save_pretrained} prefixes {@code model.decoder.};
 * the facebook/opt-* files (converted from metaseq) prefix {@code decoder.} only.
 */
final class OptCheckpointNames {
    private static final List<String> PREFIXES = List.of("model.decoder.", "decoder.");
    static final String LM_HEAD = "lm_head.weight";
    /** OPTForSequenceClassification's head, stored at the top level (no prefix). */
    static final String SCORE = "score.weight";

    private OptCheckpointNames() {}

    /** The canonical name of a stored tensor. */
    static String canonical(String stored) {
        for (String prefix : PREFIXES) {
            if (stored.startsWith(prefix)) {
                return stored.substring(prefix.length());
            }
        }
        return stored;
    }

    /** Whether {@code storedNames} hold a sequence-classification head. */
    static boolean hasClassifierHead(Iterable<String> storedNames) {
        for (String stored : storedNames) {
            if (canonical(stored).equals(SCORE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * canonical name → stored name, for every tensor in {@code storedNames}.
     *
     * @throws IllegalArgumentException when two stored names map to the same canonical name
     */
    static Map<String, String> index(Iterable<String> storedNames) {
        Map<String, String> index = new HashMap<>();
        for (String stored : storedNames) {
            String name = canonical(stored);
            String previous = index.putIfAbsent(name, stored);
            if (previous != null) {
                throw new IllegalArgumentException("holds both '" + previous + "' and '" + stored
                        + "'; it is not clear which one is the model's '" + name + "'");
            }
        }
        return index;
    }
}

package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.Objects;

/**
 * One cell of the experiment grid: a model read with a number of demonstrations showing correct
 * (or flipped, or random) labels, chosen with a seed, scored by a method.
 *
 * @param model the model's name as the user gave it (a hub id or a folder)
 */
public record Condition(String model, int shots, DemoLabels demoLabels, long seed, ScoringMethod method) {
    public Condition {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(demoLabels, "demoLabels");
        Objects.requireNonNull(method, "method");
        if (shots < 0) {
            throw new IllegalArgumentException("shots < 0");
        }
    }

    /** Identifies the condition in files: model, shots, demo labels, seed, method. */
    public String key() {
        return model + '\u0000' + shots + '\u0000' + demoLabels.key() + '\u0000' + seed + '\u0000' + method.key();
    }

    /**
     * Conditions with the same prompt key build identical prompts for every review: without
     * demonstrations neither their labels nor the seed matter, so such conditions are computed once.
     */
    public String promptKey() {
        return shots == 0 ? model + '\u0000' + 0 + '\u0000' + method.key() : key();
    }

    /** The same model, shots, seed and method with other demonstration labels. */
    public Condition withDemoLabels(DemoLabels labels) {
        return new Condition(model, shots, labels, seed, method);
    }

    /** "4 flipped" or "0-shot": how tables and plots name the demonstration setting. */
    public String setting() {
        return shots == 0 ? "0-shot" : shots + " " + demoLabels.key();
    }
}

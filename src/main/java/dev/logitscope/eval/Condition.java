package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.Objects;

/**
 * One cell of the experiment grid: a model read through a template with a number of
 * demonstrations showing correct (or flipped, or random) labels, chosen with a seed, scored by a
 * method.
 *
 * <p>Without demonstrations there are no demo labels and no seed to choose them: such a condition
 * is one prompt per review whatever was asked, so it is stored with {@link DemoLabels#CORRECT} and
 * seed 0 (the files write both as empty), and two spellings of it are one equal condition.
 *
 * @param model    the model's name as the user gave it (a hub id or a folder)
 * @param template the template's name
 * @param lens     the key of the lens that read the layers ({@code LensChoice.key()}: logit, classifier, a
 *                 lens folder's name)
 */
public record Condition(String model, String template, int shots, DemoLabels demoLabels, long seed,
        ScoringMethod method, String lens) {
    /** The lens every condition of a run without {@code --lens} is read through. */
    public static final String LOGIT = "logit";

    /** A condition read through the plain logit lens. */
    public Condition(String model, String template, int shots, DemoLabels demoLabels, long seed, ScoringMethod method) {
        this(model, template, shots, demoLabels, seed, method, LOGIT);
    }

    public Condition {
        lens = lens == null ? LOGIT : lens;
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(demoLabels, "demoLabels");
        Objects.requireNonNull(method, "method");
        if (shots < 0) {
            throw new IllegalArgumentException("shots < 0");
        }
        if (shots == 0) {
            demoLabels = DemoLabels.CORRECT;
            seed = 0;
        }
    }

    /** Whether the prompt shows demonstrations, i.e. whether demo labels and seed mean anything. */
    public boolean hasDemonstrations() {
        return shots > 0;
    }

    /** Identifies the condition in files: model, template, shots, demo labels, seed, method (and lens, when not the logit lens). */
    public String key() {
        return model + '\u0000' + template + '\u0000' + shots + '\u0000' + demoLabels.key() + '\u0000' + seed
                + '\u0000' + method.key() + (isLogitLens() ? "" : '\u0000' + lens);
    }

    public boolean isLogitLens() {
        return lens.equals(LOGIT);
    }

    /** The same model, template, shots, seed and method with other demonstration labels. */
    public Condition withDemoLabels(DemoLabels labels) {
        return new Condition(model, template, shots, labels, seed, method, lens);
    }

    /** "4 flipped" or "0-shot": how tables and plots name the demonstration setting. */
    public String setting() {
        return (shots == 0 ? "0-shot" : shots + " " + demoLabels.key()) + (isLogitLens() ? "" : " · " + lens);
    }
}

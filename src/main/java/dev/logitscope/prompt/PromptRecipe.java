package dev.logitscope.prompt;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Everything that decides a prompt except the review: the app and the CLI capture their settings
 * in one of these and get the same prompt for the same review.
 */
public record PromptRecipe(PromptTemplate template, Shots shots, DemoLabels demoLabels, DemoOrder order, long seed) {

    public PromptRecipe {
        Objects.requireNonNull(template, "template");
        shots = shots == null ? Shots.ZERO : shots;
        demoLabels = demoLabels == null ? DemoLabels.CORRECT : demoLabels;
        order = order == null ? DemoOrder.ALTERNATING : order;
    }

    /** Selects demonstrations and builds the prompt, dropping demonstrations until it fits. */
    public FittedPrompt fit(DemoPool pool, String review, ToIntFunction<String> tokenCounter, int maxTokens) {
        return PromptBuilder.fit(template, review, DemoSelector.select(pool, review, shots, order, seed,
                template.labels().size()),
                demoLabels, seed, tokenCounter, maxTokens);
    }

    public PromptRecipe withDemoLabels(DemoLabels labels) {
        return new PromptRecipe(template, shots, labels, order, seed);
    }
}

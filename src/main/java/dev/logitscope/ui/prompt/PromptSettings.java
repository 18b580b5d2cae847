package dev.logitscope.ui.prompt;

import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import java.util.Objects;
import java.util.Optional;

/**
 * The prompt settings captured on the FX thread: an immutable value the analysis thread reads.
 *
 * @param template  the template, with the user's label words already in it
 * @param gold      the review's true label, when the user gave one
 * @param calibrate contextual calibration against a content-free input
 * @param seed      which demonstrations the pool gives: the same settings always choose the same ones
 */
public record PromptSettings(PromptTemplate template, Shots shots, DemoLabels demoLabels, Optional<Sentiment> gold,
        boolean calibrate, long seed) {

    public PromptSettings {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(shots, "shots");
        Objects.requireNonNull(demoLabels, "demoLabels");
        gold = gold == null ? Optional.empty() : gold;
    }

    public LabelWords labels() {
        return template.labels();
    }

    public PromptRecipe recipe() {
        return new PromptRecipe(template, shots, demoLabels, DemoOrder.ALTERNATING, seed);
    }

    /** The shared analysis request for one review under these settings. */
    public AnalysisRequest request(String review) {
        return AnalysisRequest.of(review, recipe()).withGold(gold.orElse(null)).withCalibration(calibrate);
    }

    public PromptSettings with(Shots newShots, DemoLabels newLabels) {
        return new PromptSettings(template, newShots, newLabels, gold, calibrate, seed);
    }
}

package dev.logitscope.analysis;

import dev.logitscope.lens.LensRequest;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Shots;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "compare demonstrations" overlay, one definition for the app and {@code inspect
 * --compare-demos}: the same review zero-shot, with k correct and with k flipped demonstrations,
 * where k is the request's shot count (4 when it is zero-shot), and every other setting — template,
 * order, seed, pool, label words, calibration — is the request's. Each line is the run's label
 * probabilities per layer as the prediction uses them: calibrated when calibration is on.
 *
 * @param shots the demonstrations of the correct and flipped runs
 * @param runs  "zero-shot", "k-shot correct", "k-shot flipped" in that order
 */
public record DemoComparison(Shots shots, Map<String, PromptAnalysis> runs) {

    public DemoComparison {
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    }

    /** The demonstrations the comparison shows for a prompt with {@code asked} of them. */
    public static Shots shotsFor(Shots asked) {
        return asked.k() == 0 ? Shots.few() : asked;
    }

    /** Runs the three prompts (the analyzer's cache makes repeats cheap). */
    public static DemoComparison run(PromptAnalyzer analyzer, AnalysisRequest request) throws ModelException {
        PromptRecipe recipe = request.recipe();
        Shots shots = shotsFor(recipe.shots());
        // Only the verdicts are read: no top tokens, no other positions, no loss scoring.
        AnalysisRequest base = request.withTopK(0).withPositions(LensRequest.Positions.LAST, false)
                .withMethod(ScoringMethod.NEXT_TOKEN);
        Map<String, PromptAnalysis> runs = new LinkedHashMap<>();
        runs.put(Shots.ZERO.label(), analyzer.analyze(base.withRecipe(
                new PromptRecipe(recipe.template(), Shots.ZERO, DemoLabels.CORRECT, recipe.order(), recipe.seed()))));
        for (DemoLabels labels : new DemoLabels[] {DemoLabels.CORRECT, DemoLabels.FLIPPED}) {
            runs.put(shots.label() + " " + labels.key(), analyzer.analyze(base.withRecipe(
                    new PromptRecipe(recipe.template(), shots, labels, recipe.order(), recipe.seed()))));
        }
        return new DemoComparison(shots, runs);
    }

    /** Each run's trajectory (calibrated values attached when calibration is on), in run order. */
    public Map<String, LabelTrajectory> trajectories() {
        Map<String, LabelTrajectory> lines = new LinkedHashMap<>();
        runs.forEach((name, analysis) -> lines.put(name, analysis.trajectory()));
        return lines;
    }
}

package dev.logitscope.ui.analysis;

import dev.logitscope.lens.LensReport;
import dev.logitscope.prompt.FittedPrompt;
import dev.logitscope.prompt.LabelSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the window shows about one review.
 *
 * @param generation   the request's generation
 * @param review       the review analysed
 * @param prompt       the exact prompt, with how many demonstrations were dropped to fit the context
 * @param context      the model's context length
 * @param labels       the label words with their token ids and warnings
 * @param report       the lens readings (every position when the grid was asked for)
 * @param layers       per block layer: embed, 1 … L
 * @param story        the one-line verdict
 * @param trajectories normalised P(positive) per layer by condition ("this prompt", "correct demos", …)
 * @param millis       wall time of the analysis
 */
public record AnalysisResult(long generation, String review, FittedPrompt prompt, int context, LabelSet labels,
        LensReport report, List<LayerVerdict> layers, Overthinking story, Map<String, double[]> trajectories,
        boolean grid, long millis) {

    public AnalysisResult {
        layers = List.copyOf(layers);
        trajectories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trajectories));
    }

    public LayerVerdict finalLayer() {
        return layers.get(layers.size() - 1);
    }
}

package dev.logitscope.analysis;

import dev.logitscope.lens.LensReport;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.LabelSet;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import java.util.List;

/**
 * Everything said about one review: the prompt as analysed, the lens report and each layer's
 * verdict, with calibration and the loss method when they were asked for.
 *
 * @param request                the request analysed
 * @param template               the template used, with any label override applied
 * @param prompt                 the prompt (text, demonstrations with shown and true labels, segments)
 * @param promptTokens           its length in tokens
 * @param droppedDemos           demonstrations dropped from the front so the prompt fits the context
 * @param labels                 the label words, tokenised
 * @param warnings               what the user should know (multi-token labels, dropped demos, …)
 * @param lens                   the lens report (every field of {@code inspect --json})
 * @param trajectory             per layer 0..L (block outputs), next-token method: the label words'
 *                               probabilities, ranks and predictions, calibrated values when asked
 * @param calibration            the content-free baseline, or null
 * @param overthinking           the overthinking analysis of the raw verdicts
 * @param calibratedOverthinking the same on the calibrated verdicts, or null
 * @param loss                   the loss method's result, or null
 */
public record PromptAnalysis(AnalysisRequest request, PromptTemplate template, BuiltPrompt prompt, int promptTokens,
        int droppedDemos, LabelSet labels, List<String> warnings, LensReport lens, LabelTrajectory trajectory,
        ContentFreeBaseline calibration, Overthinking overthinking, Overthinking calibratedOverthinking,
        LossScore loss) {

    public PromptAnalysis {
        warnings = List.copyOf(warnings);
    }

    /** Each layer's verdict, a per-layer view of the trajectory (label 0 and 1's numbers). */
    public List<LayerVerdict> verdicts() {
        return trajectory.verdicts();
    }

    public Sentiment gold() {
        return request.gold();
    }

    /** The final layer's verdict: the model's own answer. */
    public LayerVerdict finalVerdict() {
        return trajectory.verdict(trajectory.taps() - 1);
    }
}

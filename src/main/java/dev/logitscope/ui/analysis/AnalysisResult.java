package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.analysis.LensComparison;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensReport;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.prompt.BuiltPrompt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the window shows about one review.
 *
 * @param generation   the request's generation
 * @param review       the review analysed
 * @param analysis     the shared analysis: prompt, lens report, verdicts, calibration, overthinking
 * @param gridReport   the lens at every position of the query (the token × layer grid), or null
 * @param runs         the trajectory of each run by condition ("this prompt", "k-shot flipped", …), calibrated
 *                     values attached when calibration is on
 * @param explanation  the one-line story of the layers
 * @param millis       wall time of the analysis
 * @param source       the model and primary lens it ran on, for the exports' provenance
 * @param lenses       every lens the review was read through (the primary one's analysis is {@code analysis})
 * @param compared     the second model's result for the same request (same generation and review, no
 *                     grid), or null when no second model was asked for or it is still running
 */
public record AnalysisResult(long generation, String review, PromptAnalysis analysis, LensReport gridReport,
        Map<String, LabelTrajectory> runs, String explanation, long millis, AnalysisProvenance.Source source,
        LensRuns lenses, AnalysisResult compared) {

    public AnalysisResult {
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
        Objects.requireNonNull(lenses, "lenses");
        if (compared != null && (compared.generation != generation || !compared.review.equals(review))) {
            // the pair is one result: the second model's numbers never belong to another review
            throw new IllegalArgumentException("the compared result is of another request");
        }
    }

    /** One model's result. */
    public AnalysisResult(long generation, String review, PromptAnalysis analysis, LensReport gridReport,
            Map<String, LabelTrajectory> runs, String explanation, long millis, AnalysisProvenance.Source source,
            LensRuns lenses) {
        this(generation, review, analysis, gridReport, runs, explanation, millis, source, lenses, null);
    }

    /** This result with the second model's beside it. */
    public AnalysisResult withCompared(AnalysisResult other) {
        return new AnalysisResult(generation, review, analysis, gridReport, runs, explanation, millis, source, lenses,
                other);
    }

    /**
     * The review read through each chosen lens.
     *
     * @param comparison each lens's analysis, primary first (the {@code LensComparison} inspect --lens a,b makes)
     * @param sources    each lens's model and lens name, for the exports' provenance, in the same order
     * @param gridLens   the lens the token × layer grid was read through
     * @param note       the sentence for a reversal only the plain logit lens shows, "" when there is none
     */
    public record LensRuns(LensComparison comparison, List<AnalysisProvenance.Source> sources, LensChoice gridLens,
            String note) {
        public LensRuns {
            Objects.requireNonNull(comparison, "comparison");
            sources = List.copyOf(sources);
            note = note == null ? "" : note;
        }

        /** The lenses, primary first. */
        public List<LensChoice> chosen() {
            return List.copyOf(comparison.runs().keySet());
        }

        public boolean several() {
            return comparison.runs().size() > 1;
        }
    }

    /** The lenses this result was computed for, primary first: a result is shown only under this choice. */
    public List<LensChoice> lensChoice() {
        return lenses.chosen();
    }

    /**
     * The trajectory picture's line per run: the decisive probability of one label per layer
     * (positive for two labels; see {@link AnalysisPlots#focusLabel}).
     */
    public Map<String, double[]> trajectories() {
        return AnalysisPlots.focusLines(runs);
    }

    public List<LayerVerdict> verdicts() {
        return analysis.verdicts();
    }

    public LayerVerdict finalVerdict() {
        return analysis.finalVerdict();
    }

    public BuiltPrompt prompt() {
        return analysis.prompt();
    }

    public boolean calibrated() {
        return analysis.calibration() != null;
    }

    /** The overthinking analysis the window shows: the calibrated one when calibration is on. */
    public Overthinking overthinking() {
        return calibrated() ? analysis.calibratedOverthinking() : analysis.overthinking();
    }

    public boolean grid() {
        return gridReport != null;
    }

    public int context() {
        return analysis.lens().model().shape().nPositions();
    }
}

package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.lens.LensReport;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.prompt.BuiltPrompt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param source       the model and lens it ran on, for the exports' provenance
 */
public record AnalysisResult(long generation, String review, PromptAnalysis analysis, LensReport gridReport,
        Map<String, LabelTrajectory> runs, String explanation, long millis, AnalysisProvenance.Source source) {

    public AnalysisResult {
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
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

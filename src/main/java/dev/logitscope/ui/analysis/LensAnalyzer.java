package dev.logitscope.ui.analysis;

import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.Explanation;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.analysis.TokenGridReport;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.model.ModelException;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The app's analysis: {@link PromptAnalyzer} (shared with the CLI) for the verdicts, plus the
 * token × layer grid ({@link TokenGridReport}, shared with the CLI) and the correct / flipped / zero-shot overlay when asked for.
 * Called on the analysis thread only, one request at a time.
 */
public final class LensAnalyzer implements Analyzer {
    public static final String THIS_PROMPT = "this prompt";

    private PromptAnalyzer analyzer; // one per engine: it caches the content-free baselines

    @Override
    public AnalysisResult analyze(AnalysisJob request) throws ModelException {
        return analyze(request, early -> { });
    }

    @Override
    public AnalysisResult analyze(AnalysisJob request, Consumer<AnalysisResult> early) throws ModelException {
        long start = System.nanoTime();
        if (request.review().isBlank()) {
            throw new ModelException("Type or pick a review to see what each layer makes of it.");
        }
        try (LensEngine.Lease lease = request.engine().lease()) { // a model switch waits for this analysis
            return analyze(request, start, early);
        }
    }

    private AnalysisResult analyze(AnalysisJob request, long start, Consumer<AnalysisResult> early)
            throws ModelException {
        PromptAnalyzer shared = analyzer(request.engine());
        PromptSettings settings = request.settings();
        PromptAnalysis analysis = shared.analyze(settings.request(request.review()));
        Map<String, LabelTrajectory> trajectories = new LinkedHashMap<>();
        trajectories.put(THIS_PROMPT, analysis.trajectory());
        if (request.grid() || request.compare()) {
            // The heatmap needs only the last position: show it now; the grid and overlay follow.
            early.accept(result(request, analysis, null, trajectories, start));
        }
        LensReport grid = request.grid() ? TokenGridReport.read(request.engine(), analysis, request.gridPositions(),
                AnalysisRequest.DEFAULT_TOP_K) : null;
        if (request.compare()) {
            // the same comparison as inspect --compare-demos, on the same request
            trajectories.putAll(DemoComparison.run(shared, settings.request(request.review())).trajectories());
        }
        return result(request, analysis, grid, trajectories, start);
    }

    private static AnalysisResult result(AnalysisJob request, PromptAnalysis analysis, LensReport grid,
            Map<String, LabelTrajectory> trajectories, long start) {
        boolean calibrated = analysis.calibration() != null;
        Overthinking o = calibrated ? analysis.calibratedOverthinking() : analysis.overthinking();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AnalysisResult(request.generation(), request.review(), analysis, grid, trajectories,
                Explanation.of(o, analysis.trajectory(), calibrated), millis,
                AnalysisProvenance.Source.of(request.engine(), analysis.request().lens()));
    }

    private PromptAnalyzer analyzer(LensEngine engine) {
        if (analyzer == null || analyzer.engine() != engine) {
            analyzer = new PromptAnalyzer(engine);
        }
        return analyzer;
    }
}

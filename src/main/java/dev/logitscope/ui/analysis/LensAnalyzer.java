package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.Explanation;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.Segment;
import dev.logitscope.tokenize.Token;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The app's analysis: {@link PromptAnalyzer} (shared with the CLI) for the verdicts, plus the
 * query's token × layer grid and the correct / flipped / zero-shot overlay when asked for.
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
        Map<String, double[]> trajectories = new LinkedHashMap<>();
        trajectories.put(THIS_PROMPT, analysis.verdicts().stream().mapToDouble(AnalysisResult::decisive).toArray());
        if (request.grid() || request.compare()) {
            // The heatmap needs only the last position: show it now; the grid and overlay follow.
            early.accept(result(request, analysis, null, trajectories, start));
        }
        LensReport grid = request.grid() ? queryGrid(request.engine(), analysis) : null;
        if (request.compare()) {
            // the same comparison as inspect --compare-demos, on the same request
            trajectories.putAll(DemoComparison.run(shared, settings.request(request.review())).trajectories());
        }
        return result(request, analysis, grid, trajectories, start);
    }

    private static AnalysisResult result(AnalysisJob request, PromptAnalysis analysis, LensReport grid,
            Map<String, double[]> trajectories, long start) {
        boolean calibrated = analysis.calibration() != null;
        Overthinking o = calibrated ? analysis.calibratedOverthinking() : analysis.overthinking();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AnalysisResult(request.generation(), request.review(), analysis, grid, trajectories,
                Explanation.of(o, analysis.verdicts(), calibrated), millis);
    }

    private PromptAnalyzer analyzer(LensEngine engine) {
        if (analyzer == null || analyzer.engine() != engine) {
            analyzer = new PromptAnalyzer(engine);
        }
        return analyzer;
    }

    /**
     * Every position of the query (the review and what follows it): the grid's columns. The
     * demonstrations before it come from the KV cache, so the grid costs little more than the heatmap.
     */
    private static LensReport queryGrid(LensEngine engine, PromptAnalysis analysis) throws ModelException {
        BuiltPrompt prompt = analysis.prompt();
        List<Token> tokens = engine.tokenize(prompt.text());
        int queryChar = prompt.segments().stream().filter(s -> s.kind() == Segment.Kind.QUERY).mapToInt(Segment::start)
                .findFirst().orElse(0);
        int from = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).start() >= 0 && tokens.get(i).start() <= queryChar) {
                from = i;
            }
        }
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        List<TrackedWord> tracked = analysis.lens().tracked();
        int[] trackedIds = tracked.stream().mapToInt(TrackedWord::firstTokenId).toArray();
        List<LayerReading> layers = engine.run(ids, LensRequest.window(trackedIds, 5, from, ids.length));
        return new LensReport(engine.info(), prompt.text(), tokens, tracked, layers);
    }
}

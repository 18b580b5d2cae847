package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.Explanation;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.LensComparison;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.analysis.TokenGridReport;
import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.model.ModelException;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The app's analysis: {@link PromptAnalyzer} (shared with the CLI) for the verdicts, plus the
 * token × layer grid ({@link TokenGridReport}, shared with the CLI) and the correct / flipped / zero-shot overlay when asked for.
 * With a second model (before vs. after fine-tuning) the same settings and review go through the
 * same path on that model's engine ({@link AnalysisJob#forCompared}); the two results travel as one,
 * so they always belong to the same review. Called on the analysis thread only, one request at a time.
 */
public final class LensAnalyzer implements Analyzer {
    public static final String THIS_PROMPT = "this prompt";

    /** One per engine (it caches the content-free baselines): the model and the compared one (by identity). */
    private final Map<LensEngine, PromptAnalyzer> analyzers = new java.util.IdentityHashMap<>();

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
        // Forget the analyzers of engines this request no longer uses (a model was replaced).
        analyzers.keySet().removeIf(e -> e != request.engine() && e != request.compared());
        AnalysisResult first;
        try (LensEngine.Lease lease = request.engine().lease()) { // a model switch waits for this analysis
            first = analyze(request, start, early);
        }
        if (request.compared() == null) {
            return first;
        }
        early.accept(first); // the first model's whole picture while the second one runs
        try (LensEngine.Lease lease = request.compared().lease()) {
            return first.withCompared(analyze(request.forCompared(), System.nanoTime(), r -> { }));
        }
    }

    private AnalysisResult analyze(AnalysisJob request, long start, Consumer<AnalysisResult> early)
            throws ModelException {
        PromptAnalyzer shared = analyzer(request.engine());
        PromptSettings settings = request.settings();
        // The same comparison as inspect --lens a,b: one request, read through each lens.
        AnalysisRequest asked = settings.request(request.review());
        LensComparison comparison = LensComparison.run(shared, asked, request.lenses());
        LensChoice primary = request.lenses().get(0);
        PromptAnalysis analysis = comparison.runs().get(primary);
        Map<String, LabelTrajectory> trajectories = new LinkedHashMap<>();
        if (comparison.runs().size() == 1) {
            trajectories.put(THIS_PROMPT, analysis.trajectory());
        } else {
            trajectories.putAll(comparison.trajectories()); // a line per lens, named by its key
        }
        if (request.grid() || request.compare()) {
            // The heatmap needs only the last position: show it now; the grid and overlay follow.
            early.accept(result(request, comparison, null, trajectories, start));
        }
        LensReport grid = request.grid() ? TokenGridReport.read(request.engine(),
                comparison.runs().get(request.gridLens()), request.gridPositions(), AnalysisRequest.DEFAULT_TOP_K) : null;
        if (request.compare()) {
            // the same comparison as inspect --compare-demos, on the same request, through the primary lens
            String suffix = comparison.runs().size() == 1 ? "" : " · " + primary.key();
            DemoComparison.run(shared, asked.withLens(primary)).trajectories()
                    .forEach((name, t) -> trajectories.put(name + suffix, t));
        }
        return result(request, comparison, grid, trajectories, start);
    }

    private static AnalysisResult result(AnalysisJob request, LensComparison comparison, LensReport grid,
            Map<String, LabelTrajectory> trajectories, long start) {
        LensEngine engine = request.engine();
        PromptAnalysis analysis = comparison.runs().values().iterator().next();
        List<AnalysisProvenance.Source> sources = new ArrayList<>();
        List<String> others = new ArrayList<>();
        comparison.runs().forEach((lens, a) -> {
            sources.add(AnalysisProvenance.Source.of(engine, lens));
            if (a != analysis) {
                others.add(lens.key() + ": " + shortVerdict(LensComparison.verdict(a)));
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        AnalysisResult.LensRuns lenses = new AnalysisResult.LensRuns(comparison, sources, request.gridLens(),
                comparison.plainOnlyReversal().map(LensAnalyzer::capitalised).orElse(""));
        return new AnalysisResult(request.generation(), request.review(), analysis, grid, trajectories,
                explanation(analysis, others), millis, sources.get(0), lenses);
    }

    /**
     * The verdict line names the lens it read ("Logit lens: Overthinking: …"), then what each other
     * chosen lens concludes in a few words; the plain logit lens alone, the default, is not named.
     */
    static String explanation(PromptAnalysis analysis, List<String> others) {
        boolean calibrated = analysis.calibration() != null;
        String story = Explanation.of(LensComparison.verdict(analysis), analysis.trajectory(), calibrated);
        if (others.isEmpty() && analysis.request().lens().isLogit()) {
            return story; // the plain logit lens alone, as always (the exports' titles name it)
        }
        String line = capitalised(shortName(analysis.request().lens(), analysis.lens().lens())) + ": " + story;
        return others.isEmpty() ? line : line + " Other lenses — " + String.join("; ", others) + ".";
    }

    /** A lens's overthinking verdict in a few words. */
    static String shortVerdict(Overthinking o) {
        if (o.gold() == null) {
            return "no gold label to judge";
        }
        if (Boolean.TRUE.equals(o.overthinks())) {
            return "right at layer " + o.lastCorrectLayer() + ", reversed at layer " + o.reversalLayer();
        }
        return Boolean.TRUE.equals(o.finalCorrect()) ? "correct, no reversal" : "wrong, no reversal";
    }

    /** A lens's name with its folder shortened to the folder's name ("tuned lens (gpt2)"), as the legend names it. */
    public static String shortName(LensChoice lens, String name) {
        return lens.folder() == null ? name : name.replace(lens.folder().toString(), lens.key());
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private PromptAnalyzer analyzer(LensEngine engine) {
        return analyzers.computeIfAbsent(engine, PromptAnalyzer::new);
    }
}

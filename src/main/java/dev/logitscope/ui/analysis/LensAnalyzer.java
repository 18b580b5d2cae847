package dev.logitscope.ui.analysis;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.FittedPrompt;
import dev.logitscope.prompt.LabelSet;
import dev.logitscope.prompt.LabelToken;
import dev.logitscope.prompt.Segment;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.tokenize.Token;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the label probabilities at every layer of the prompt built from the settings, with
 * contextual calibration (Zhao et al. 2021: divide by the probabilities a content-free input
 * gets, renormalise) and the correct / flipped / zero-shot overlay when asked.
 */
public final class LensAnalyzer implements Analyzer {
    static final String CONTENT_FREE = "N/A";
    static final int TOP_K = 5;
    public static final String THIS_PROMPT = "this prompt";

    private final DemoPool pool;

    public LensAnalyzer(DemoPool pool) {
        this.pool = pool;
    }

    public LensAnalyzer() {
        this(DemoPool.builtIn());
    }

    @Override
    public AnalysisResult analyze(AnalysisRequest request) throws ModelException {
        long start = System.nanoTime();
        LensEngine engine = request.engine();
        PromptSettings settings = request.settings();
        if (request.review().isBlank()) {
            throw new ModelException("Type or pick a review to see what each layer makes of it.");
        }
        int context = engine.info().shape().nPositions();
        LabelSet labels = LabelSet.of(settings.labels(), engine.tokenizer());
        List<TrackedWord> tracked = List.of(tracked(labels.positive()), tracked(labels.negative()));

        FittedPrompt fitted = fit(engine, settings, request.review());
        LensReport report = request.grid() ? queryGrid(engine, fitted.prompt(), tracked)
                : engine.inspect(fitted.prompt().text(), tracked, TOP_K, LensRequest.Positions.LAST, false);
        double[] contentFree = settings.calibrate() ? normalisedPerLayer(engine, settings, CONTENT_FREE, tracked) : null;
        List<LayerVerdict> layers = verdicts(report, contentFree, settings.gold());

        Map<String, double[]> trajectories = new LinkedHashMap<>();
        trajectories.put(THIS_PROMPT, layers.stream().mapToDouble(LayerVerdict::decisive).toArray());
        if (request.compare()) {
            int k = Math.max(settings.shots().k(), Shots.DEFAULT_FEW);
            trajectories.put("correct demos", normalisedPerLayer(engine,
                    settings.with(Shots.few(k), DemoLabels.CORRECT), request.review(), tracked));
            trajectories.put("flipped demos", normalisedPerLayer(engine,
                    settings.with(Shots.few(k), DemoLabels.FLIPPED), request.review(), tracked));
            trajectories.put("zero-shot", normalisedPerLayer(engine,
                    settings.with(Shots.ZERO, DemoLabels.CORRECT), request.review(), tracked));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AnalysisResult(request.generation(), request.review(), fitted, context, labels, report, layers,
                Overthinking.of(layers), trajectories, request.grid(), millis);
    }

    /**
     * Every position of the query (the review and what follows it): the grid's columns. The
     * demonstrations before it come from the KV cache, so the grid costs little more than the heatmap.
     */
    private static LensReport queryGrid(LensEngine engine, BuiltPrompt prompt, List<TrackedWord> tracked)
            throws ModelException {
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
        int[] trackedIds = tracked.stream().mapToInt(TrackedWord::firstTokenId).toArray();
        List<LayerReading> layers = engine.run(ids, LensRequest.window(trackedIds, TOP_K, from, ids.length));
        return new LensReport(engine.info(), prompt.text(), tokens, tracked, layers);
    }

    private FittedPrompt fit(LensEngine engine, PromptSettings settings, String review) {
        int context = engine.info().shape().nPositions();
        return settings.recipe().fit(pool, review, text -> engine.tokenizer().encodeIds(text).length, context);
    }

    /** Normalised P(positive) per block layer for {@code review} under {@code settings} (last position only). */
    private double[] normalisedPerLayer(LensEngine engine, PromptSettings settings, String review,
            List<TrackedWord> tracked) throws ModelException {
        FittedPrompt fitted = fit(engine, settings, review);
        LensReport report = engine.inspect(fitted.prompt().text(), tracked, 0, LensRequest.Positions.LAST, false);
        return report.blockLayers().stream().mapToDouble(l -> normalise(l.last().trackedProbs())).toArray();
    }

    static List<LayerVerdict> verdicts(LensReport report, double[] contentFree, Optional<Sentiment> gold) {
        List<LayerVerdict> out = new ArrayList<>();
        List<LayerReading> blocks = report.blockLayers();
        for (int i = 0; i < blocks.size(); i++) {
            LayerReading layer = blocks.get(i);
            PositionReading last = layer.last();
            double pPos = last.trackedProbs()[0];
            double pNeg = last.trackedProbs()[1];
            double normalised = normalise(last.trackedProbs());
            double calibrated = contentFree == null ? Double.NaN : calibrate(normalised, contentFree[i]);
            double decisive = Double.isNaN(calibrated) ? normalised : calibrated;
            Sentiment predicted = decisive >= 0.5 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
            Optional<Boolean> correct = gold.map(g -> g == predicted);
            out.add(new LayerVerdict(layer.layer(), layer.name(), pPos, pNeg, normalised, calibrated, predicted,
                    correct, last.trackedRanks(), last.top()));
        }
        return out;
    }

    /** P(positive) over the two labels; 0.5 when both underflow. */
    static double normalise(double[] probs) {
        double sum = probs[0] + probs[1];
        return sum > 0 ? probs[0] / sum : 0.5;
    }

    /** p ← normalise(p / p_cf) for two labels, on the normalised P(positive). */
    static double calibrate(double p, double pContentFree) {
        double pos = p / Math.max(pContentFree, 1e-12);
        double neg = (1 - p) / Math.max(1 - pContentFree, 1e-12);
        return pos / (pos + neg);
    }

    private static TrackedWord tracked(LabelToken token) {
        return new TrackedWord(token.word(), token.tokenIds());
    }
}

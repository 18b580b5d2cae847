package dev.logitscope.analysis;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Demonstration;
import dev.logitscope.prompt.FittedPrompt;
import dev.logitscope.prompt.LabelSet;
import dev.logitscope.prompt.PromptBuilder;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.UsedDemo;
import dev.logitscope.tokenize.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a review into a prompt, runs the lens and says what every layer concludes: the service
 * the CLI and the app share. UI-agnostic and thread-safe (the engine queues model work on its
 * thread); the content-free prompts of calibration are run only when asked and remembered, so
 * re-analysing edits of one review with the same demonstrations costs one prompt.
 */
public final class PromptAnalyzer {
    private static final int BASELINE_CACHE_SIZE = 64;

    private final LensEngine engine;
    private final LossScorer lossScorer;
    /** Per content-free prompt (text and label ids): renormalised P(positive) per layer. */
    private final Map<String, double[]> baselineCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > BASELINE_CACHE_SIZE;
        }
    };

    public PromptAnalyzer(LensEngine engine) {
        this.engine = engine;
        this.lossScorer = new LossScorer(engine);
    }

    public LensEngine engine() {
        return engine;
    }

    /**
     * Analyses one review.
     *
     * @throws dev.logitscope.prompt.PromptException the prompt cannot be built (label words share a
     *         first token, the review does not fit the context, a bad template)
     * @throws ModelException the model failed
     */
    public PromptAnalysis analyze(AnalysisRequest request) throws ModelException {
        // One lease for all the engine calls below: a model switch waits instead of closing under us.
        try (LensEngine.Lease lease = engine.lease()) {
            return analyzeLeased(request);
        }
    }

    private PromptAnalysis analyzeLeased(AnalysisRequest request) throws ModelException {
        if (request.method() == ScoringMethod.LOSS && request.review().isBlank()) {
            // Fail before any model work: the loss method has no review tokens to score.
            throw new PromptException("The loss method scores the review's tokens, but the review is empty:"
                    + " type a review, or use the next-token method.");
        }
        PromptRecipe recipe = request.recipe();
        PromptTemplate template = request.labels() == null ? recipe.template()
                : recipe.template().withLabels(request.labels());
        recipe = new PromptRecipe(template, recipe.shots(), recipe.demoLabels(), recipe.order(), recipe.seed());
        LabelSet labels = LabelSet.of(template.labels(), engine.tokenizer());
        int context = engine.info().shape().nPositions();
        FittedPrompt fitted = recipe.fit(request.pool(), request.review(), this::countTokens, context);
        BuiltPrompt prompt = fitted.prompt();

        List<String> warnings = new ArrayList<>(labels.warnings());
        int chosen = prompt.shots() + fitted.dropped();
        if (chosen < recipe.shots().k()) {
            warnings.add("asked for " + recipe.shots().k() + " demonstrations, the pool had only " + chosen
                    + " to choose from");
        }
        if (fitted.dropped() > 0) {
            warnings.add(fitted.dropped() + " of " + chosen + " demonstrations were dropped so the prompt fits the"
                    + " model's " + context + " tokens");
        }

        List<TrackedWord> tracked = engine.track(List.of(labels.positive().word(), labels.negative().word()));
        LensReport report = engine.inspect(prompt.text(), tracked, request.topK(), request.positions(),
                request.midBlock());
        List<LayerVerdict> verdicts = verdicts(report, request);
        Overthinking overthinking = Overthinking.analyse(normalized(verdicts, false), request.gold(), request.margin());

        ContentFreeBaseline baseline = null;
        Overthinking calibratedOverthinking = null;
        if (request.calibrate()) {
            baseline = baseline(template, prompt, labels);
            verdicts = ContextualCalibration.apply(verdicts, baseline, request.gold());
            calibratedOverthinking = Overthinking.analyse(normalized(verdicts, true), request.gold(), request.margin());
        }
        LossScore loss = request.method() == ScoringMethod.LOSS
                ? lossScorer.score(template, request.review(), request.gold(), request.margin())
                : null;
        return new PromptAnalysis(request, template, prompt, fitted.tokens(), fitted.dropped(), labels, warnings, report,
                verdicts, baseline, overthinking, calibratedOverthinking, loss);
    }

    private int countTokens(String text) {
        return engine.tokenizer().encodeIds(text).length;
    }

    private static List<LayerVerdict> verdicts(LensReport report, AnalysisRequest request) {
        List<LayerVerdict> out = new ArrayList<>();
        for (LayerReading layer : report.blockLayers()) {
            double[] p = layer.last().trackedProbs(); // [positive, negative], the order tracked
            out.add(LayerVerdict.of(layer.layer(), layer.name(), p[0], p[1], request.gold()));
        }
        return out;
    }

    private static double[] normalized(List<LayerVerdict> verdicts, boolean calibrated) {
        return verdicts.stream()
                .mapToDouble(v -> calibrated ? v.calibrated().normalizedPositive() : v.normalizedPositive())
                .toArray();
    }

    /**
     * The same prompt (template, demonstrations in order, the labels they show) with each
     * content-free review in place of the real one.
     */
    private ContentFreeBaseline baseline(PromptTemplate template, BuiltPrompt prompt, LabelSet labels)
            throws ModelException {
        // Shown labels become the demos' labels, so CORRECT reproduces flipped or random ones exactly.
        List<Demonstration> demos = prompt.demos().stream()
                .map((UsedDemo d) -> new Demonstration(d.review(), d.shown()))
                .toList();
        List<double[]> perInput = new ArrayList<>();
        for (String input : ContextualCalibration.CONTENT_FREE) {
            String text = PromptBuilder.build(template, input, demos, DemoLabels.CORRECT, 0).text();
            perInput.add(contentFree(text, labels));
        }
        return ContextualCalibration.baseline(ContextualCalibration.CONTENT_FREE, perInput);
    }

    private double[] contentFree(String text, LabelSet labels) throws ModelException {
        String key = Arrays.toString(labels.firstIds()) + '\u0000' + text;
        synchronized (baselineCache) {
            double[] cached = baselineCache.get(key);
            if (cached != null) {
                return cached.clone();
            }
        }
        int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
        List<LayerReading> layers = engine.run(ids, LensRequest.lastPosition(labels.firstIds(), 0));
        double[] normalized = layers.stream()
                .filter(l -> !l.midBlock())
                .mapToDouble(l -> LabelOdds.normalizedPositive(l.last().trackedProbs()[0], l.last().trackedProbs()[1]))
                .toArray();
        synchronized (baselineCache) {
            baselineCache.put(key, normalized.clone());
        }
        return normalized;
    }
}

package dev.logitscope.analysis;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensChoice;
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
    /** Per content-free prompt (text and label ids): the raw label probabilities per layer, [layer][label]. */
    private final Map<String, double[][]> baselineCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[][]> eldest) {
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

    /**
     * Analyses several reviews, in order. Reviews whose prompts share the demonstrations run side
     * by side through the model ({@link LensEngine#runAll}); the results equal {@link #analyze} of
     * each to float32 precision. A review whose prompt cannot be built gets its {@link
     * PromptException} in its outcome and the others go on. Requests for the loss method, every
     * position or the mid-block taps are analysed one by one.
     *
     * @throws ModelException the model failed (every outcome is lost)
     */
    public List<AnalysisOutcome> analyzeAll(List<AnalysisRequest> requests) throws ModelException {
        try (LensEngine.Lease lease = engine.lease()) {
            AnalysisOutcome[] outcomes = new AnalysisOutcome[requests.size()];
            List<Prepared> batch = new ArrayList<>();
            List<Integer> batchIndex = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                AnalysisRequest request = requests.get(i);
                try {
                    if (!readsLastPositionOnly(request)) {
                        outcomes[i] = AnalysisOutcome.of(analyzeLeased(request));
                        continue;
                    }
                    batch.add(prepare(request));
                    batchIndex.add(i);
                } catch (PromptException e) {
                    outcomes[i] = AnalysisOutcome.failed(e);
                }
            }
            // Prompts run together per label set, top-k and demonstrations (shown labels included):
            // a review long enough to lose a demonstration must not shorten everyone's shared prefix.
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int j = 0; j < batch.size(); j++) {
                Prepared p = batch.get(j);
                String key = p.request().lens() + "/" + Arrays.toString(p.trackedIds()) + '/' + p.request().topK() + '/'
                        + p.fitted().prompt().demos().stream().map(d -> d.shown() + ":" + d.review()).toList();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
            }
            for (List<Integer> group : groups.values()) {
                List<int[]> prompts = group.stream().map(j -> batch.get(j).ids()).toList();
                Prepared first = batch.get(group.get(0));
                List<List<LayerReading>> layers = engine.runAll(prompts, first.trackedIds(), first.request().topK(),
                        first.request().lens());
                for (int g = 0; g < group.size(); g++) {
                    Prepared p = batch.get(group.get(g));
                    int i = batchIndex.get(group.get(g));
                    try {
                        outcomes[i] = AnalysisOutcome.of(finish(p, layers.get(g)));
                    } catch (PromptException e) {
                        outcomes[i] = AnalysisOutcome.failed(e);
                    }
                }
            }
            return List.of(outcomes);
        }
    }

    private static boolean readsLastPositionOnly(AnalysisRequest request) {
        return request.method() != ScoringMethod.LOSS && request.positions() == LensRequest.Positions.LAST
                && !request.midBlock();
    }

    private PromptAnalysis analyzeLeased(AnalysisRequest request) throws ModelException {
        Prepared prepared = prepare(request);
        LensRequest lens = new LensRequest(prepared.trackedIds(), request.topK(), request.positions(), request.midBlock(),
                false, request.lens());
        return finish(prepared, engine.run(prepared.ids(), lens));
    }

    /** A review's prompt, built and tokenised, with what the lens must track: everything before the model runs. */
    private record Prepared(AnalysisRequest request, PromptTemplate template, FittedPrompt fitted, LabelSet labels,
            List<String> warnings, List<TrackedWord> tracked, List<Token> tokens) {
        int[] ids() {
            return tokens.stream().mapToInt(Token::id).toArray();
        }

        int[] trackedIds() {
            return tracked.stream().mapToInt(TrackedWord::firstTokenId).toArray();
        }
    }

    private Prepared prepare(AnalysisRequest request) throws ModelException {
        if (request.method() == ScoringMethod.LOSS && request.review().isBlank()) {
            // Fail before any model work: the loss method has no review tokens to score.
            throw new PromptException("The loss method scores the review's tokens, but the review is empty:"
                    + " type a review, or use the next-token method.");
        }
        PromptRecipe recipe = request.recipe();
        PromptTemplate template = request.labels() == null ? recipe.template()
                : recipe.template().withLabels(request.labels());
        if (request.lens().isClassifier()) {
            return prepareForClassifier(request, template);
        }
        recipe = new PromptRecipe(template, recipe.shots(), recipe.demoLabels(), recipe.order(), recipe.seed());
        if (request.method() == ScoringMethod.LOSS && template.labels().size() != 2) {
            throw new PromptException("The loss method scores two classes, but the template has "
                    + template.labels().size() + " labels; use the next-token method.");
        }
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
        List<TrackedWord> tracked = engine.track(labels.words());
        return new Prepared(request, template, fitted, labels, warnings, tracked, engine.tokenize(prompt.text()));
    }

    /**
     * The review for the classifier-head lens: read as it is (no template, no demonstrations), as
     * the classifier was trained and as {@code finetune} feeds it; the labels are the head's classes
     * ({@link ClassifierClasses}), tracked by class index.
     */
    private Prepared prepareForClassifier(AnalysisRequest request, PromptTemplate template) throws ModelException {
        if (request.method() == ScoringMethod.LOSS) {
            throw new PromptException("The loss method scores label words through the unembedding; the classifier-head"
                    + " lens reads the classes of the score head. Use the next-token method with it.");
        }
        ClassifierClasses classes = ClassifierClasses.match(template.labels(), engine.classLabels().orElseThrow(
                () -> new ModelException(engine.info().source() + " has no classification head (score.weight), so"
                        + " there is no classifier-head lens to read; use the logit lens, or load a fine-tuned classifier.")));
        PromptTemplate bare = ClassifierClasses.bareTemplate(template);
        PromptRecipe recipe = new PromptRecipe(bare, dev.logitscope.prompt.Shots.ZERO, request.recipe().demoLabels(),
                request.recipe().order(), request.recipe().seed());
        FittedPrompt fitted = recipe.fit(request.pool(), request.review(), this::countTokens,
                engine.info().shape().nPositions());
        List<String> warnings = new ArrayList<>(classes.warnings());
        if (request.recipe().shots().k() > 0) {
            warnings.add("the classifier-head lens reads the review as it is, as the classifier was trained: the "
                    + request.recipe().shots().k() + " demonstrations and the template are not used");
        }
        return new Prepared(request, bare, fitted, classes.labelSet(), warnings, classes.tracked(),
                engine.tokenize(fitted.prompt().text()));
    }

    private PromptAnalysis finish(Prepared prepared, List<LayerReading> layers) throws ModelException {
        AnalysisRequest request = prepared.request();
        BuiltPrompt prompt = prepared.fitted().prompt();
        LensReport report = new LensReport(engine.info(), prompt.text(), prepared.tokens(), prepared.tracked(), layers,
                engine.lensName(request.lens()));
        LabelTrajectory trajectory = trajectory(report, prepared.labels(), request);
        Overthinking overthinking = Overthinking.of(trajectory, false, request.margin());

        ContentFreeBaseline baseline = null;
        Overthinking calibratedOverthinking = null;
        if (request.calibrate()) {
            baseline = baseline(prepared.template(), prompt, prepared.labels(), request.lens());
            trajectory = ContextualCalibration.apply(trajectory, baseline);
            calibratedOverthinking = Overthinking.of(trajectory, true, request.margin());
        }
        LossScore loss = request.method() == ScoringMethod.LOSS
                ? lossScorer.score(prepared.template(), request.review(), request.gold(), request.margin(),
                        request.lossSpan(), request.lens())
                : null;
        return new PromptAnalysis(request, prepared.template(), prompt, prepared.fitted().tokens(),
                prepared.fitted().dropped(), prepared.labels(), prepared.warnings(), report, trajectory, baseline,
                overthinking, calibratedOverthinking, loss);
    }

    /** Tokens the model reads for {@code text} as a whole prompt: with the BOS the tokenizer config asks for. */
    private int countTokens(String text) {
        return engine.tokenizer().promptLength(text);
    }

    /** The label words' readings at the last position of every block output, in label order (the order tracked). */
    private static LabelTrajectory trajectory(LensReport report, LabelSet labels, AnalysisRequest request) {
        List<LayerReading> blocks = report.blockLayers();
        int[] depths = new int[blocks.size()];
        List<String> names = new ArrayList<>(blocks.size());
        double[][] vocab = new double[blocks.size()][];
        int[][] ranks = new int[blocks.size()][];
        for (int t = 0; t < depths.length; t++) {
            LayerReading layer = blocks.get(t);
            depths[t] = layer.layer();
            names.add(layer.name());
            vocab[t] = layer.last().trackedProbs();
            ranks[t] = layer.last().trackedRanks();
        }
        if (request.gold() != null && request.gold().index() >= labels.size()) {
            throw new PromptException("The gold label " + request.gold().index() + " is not one of the template's "
                    + labels.size() + " labels.");
        }
        return LabelTrajectory.of(labels.words(), depths, names, vocab, ranks, request.gold());
    }

    /**
     * The same prompt (template, demonstrations in order, the labels they show) with each
     * content-free review in place of the real one.
     */
    private ContentFreeBaseline baseline(PromptTemplate template, BuiltPrompt prompt, LabelSet labels, LensChoice lens)
            throws ModelException {
        // Shown labels become the demos' labels, so CORRECT reproduces flipped or random ones exactly.
        List<Demonstration> demos = prompt.demos().stream()
                .map((UsedDemo d) -> new Demonstration(d.review(), d.shown()))
                .toList();
        List<String> inputs = new ArrayList<>();
        List<double[][]> perInput = new ArrayList<>();
        for (String input : ContextualCalibration.CONTENT_FREE) {
            String text = PromptBuilder.build(template, input, demos, DemoLabels.CORRECT, 0).text();
            if (text.isEmpty()) {
                continue; // the classifier reads the bare input: "" is no prompt at all
            }
            inputs.add(input);
            perInput.add(contentFree(text, labels, lens));
        }
        return ContextualCalibration.baseline(inputs, perInput);
    }

    /** The full-vocabulary probabilities of the labels' first tokens per layer, [layer][label]. */
    private double[][] contentFree(String text, LabelSet labels, LensChoice lens) throws ModelException {
        String key = lens + "\u0000" + Arrays.toString(labels.firstIds()) + '\u0000' + text;
        synchronized (baselineCache) {
            double[][] cached = baselineCache.get(key);
            if (cached != null) {
                return deepCopy(cached);
            }
        }
        int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
        List<LayerReading> layers = engine.run(ids, LensRequest.lastPosition(labels.firstIds(), 0).withLens(lens));
        double[][] raw = layers.stream()
                .filter(l -> !l.midBlock())
                .map(l -> l.last().trackedProbs().clone())
                .toArray(double[][]::new);
        synchronized (baselineCache) {
            baselineCache.put(key, deepCopy(raw));
        }
        return raw;
    }

    private static double[][] deepCopy(double[][] values) {
        return Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
    }
}

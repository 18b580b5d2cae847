package dev.logitscope.eval;

import dev.logitscope.analysis.AnalysisOutcome;
import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.analysis.LossLayer;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Shots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Runs a plan over a dataset: each model is loaded once, and each condition's examples run back
 * to back, so the KV cache keeps the demonstrations (the same for every example of a condition)
 * and only the reviews' tokens go through the blocks — several reviews side by side in one pass
 * ({@link EvalPlan#batch()}). Every finished example is appended to the run folder at once; a
 * stop request is honoured between passes and, inside a pass, between blocks.
 */
public final class EvalRunner {
    /** If this many examples of a model in a row cannot be prompted, the problem is not the examples. */
    private static final int GIVE_UP_AFTER = 20;

    private final EvalPlan plan;
    private final List<Example> examples;
    private final RunFolder folder;
    private final EvalListener listener;
    private final BooleanSupplier stop;
    private final EngineSource engines;
    private final Set<String> warned = new HashSet<>();
    /** Per condition key, why its first skipped example was skipped. */
    private final Map<String, String> firstSkip = new HashMap<>();
    /** The blocks this run evaluates: all of them, or a shard's. */
    private ShardWork work;

    public EvalRunner(EvalPlan plan, List<Example> examples, RunFolder folder, EvalListener listener,
            BooleanSupplier stop) {
        this(plan, examples, folder, listener, stop, EngineSource.OPEN);
    }

    /** @param engines where each model's engine comes from (the app lends its loaded one) */
    public EvalRunner(EvalPlan plan, List<Example> examples, RunFolder folder, EvalListener listener,
            BooleanSupplier stop, EngineSource engines) {
        if (examples.isEmpty()) {
            throw new EvalException("The dataset has no examples to evaluate.");
        }
        if (examples.stream().map(Example::id).distinct().count() != examples.size()) {
            throw new IllegalArgumentException("example ids must be unique");
        }
        DemoSource.checkEnough(plan.pool(), plan.maxShots());
        this.plan = plan;
        this.examples = List.copyOf(examples);
        this.folder = folder;
        this.listener = listener == null ? EvalListener.NONE : listener;
        this.stop = stop == null ? () -> false : stop;
        this.engines = engines == null ? EngineSource.OPEN : engines;
        this.work = ShardWork.whole(ShardWork.blockSize(plan.examplesPerPass(), null), examples.size());
    }

    /** Runs only a shard's blocks ({@link ShardPlan}), or every block of another size; a block is whole passes. */
    public EvalRunner restrictTo(ShardWork shardWork) {
        if (shardWork.block() % plan.examplesPerPass() != 0) {
            throw new IllegalArgumentException("blocks of " + shardWork.block() + ", passes of " + plan.examplesPerPass());
        }
        this.work = shardWork;
        return this;
    }

    /** Runs what is not done yet, writes summary.json and returns the summary (partial when stopped). */
    public EvalSummary run() throws ModelException {
        Map<String, Map<String, ExampleResult>> done = new HashMap<>();
        for (ExampleResult r : folder.loaded()) {
            done.computeIfAbsent(r.condition().key(), k -> new LinkedHashMap<>()).put(r.id(), r);
        }
        Map<String, Integer> skipped = new HashMap<>();
        // Every planned condition is a distinct prompt set, so this is the work to do, counted once.
        long total = plan.conditions().stream().mapToLong(work::examples).sum();
        listener.started(total, folder.loaded().size());
        boolean stopped = false;
        try {
            for (ModelRef model : plan.models()) {
                stopped = runModel(model, done, skipped);
                if (stopped) {
                    break;
                }
            }
        } finally {
            folder.writeSummary(summary(done, skipped, !stopped && isComplete(done, skipped)));
        }
        if (!stopped && work.shard().whole()) { // a shard's blocks may all be skipped; the merge decides
            requireSomeResults(done);
        }
        return summary(done, skipped, !stopped && isComplete(done, skipped));
    }

    /**
     * A condition whose every example was skipped has no accuracy at all; reporting it as a
     * complete run (exit 0, "complete": true over zero results) would hide that nothing was measured.
     */
    private void requireSomeResults(Map<String, Map<String, ExampleResult>> done) {
        for (Condition c : plan.conditions()) {
            if (done.getOrDefault(c.key(), Map.of()).isEmpty() && firstSkip.containsKey(c.key())) {
                throw new EvalException("Nothing could be evaluated for " + c.model() + " (" + c.setting() + "): all "
                        + examples.size() + " examples were skipped. The first: " + firstSkip.get(c.key()));
            }
        }
    }

    /** Runs one model's conditions; true when a stop was requested. */
    private boolean runModel(ModelRef model, Map<String, Map<String, ExampleResult>> done,
            Map<String, Integer> skipped) throws ModelException {
        List<Condition> conditions = plan.conditions(model);
        boolean left = conditions.stream().anyMatch(c -> done.getOrDefault(c.key(), Map.of()).size() < work.examples(c));
        if (!work.ownsAny(conditions) || !left && folder.models().containsKey(model.name())) {
            return false;
        }
        if (stop.getAsBoolean()) {
            return true;
        }
        listener.loading(model.name());
        try (EngineSource.Use use = engines.open(model)) {
            LensEngine engine = use.engine();
            ModelStats stats = folder.models().getOrDefault(model.name(), new ModelStats(model.name(),
                    engine.info().shape().family(), engine.info().unusualReadout() ? engine.info().readout() : "",
                    engine.info().shape().parameters(), engine.info().shape().nLayer(), 0, 0));
            folder.model(stats); // the layer count lets a resumed run recognise a cut-off example
            for (var lens : plan.lenses()) {
                engine.prepareLens(lens); // a lens that does not fit the model fails before any example
            }
            Progress progress = new Progress();
            try {
                for (Condition condition : conditions) {
                    Map<String, ExampleResult> results = done.computeIfAbsent(condition.key(), k -> new LinkedHashMap<>());
                    var lens = plan.lens(condition.lens());
                    PromptRecipe recipe = new PromptRecipe(plan.template(condition.template()),
                            new Shots(condition.shots()), condition.demoLabels(), plan.order(), condition.seed());
                    // Examples in dataset order, in fixed blocks (ShardPlan's units, a shard runs whole ones),
                    // each of whole passes of examplesPerPass() side by side.
                    int block = work.block();
                    int perPass = plan.examplesPerPass();
                    for (int from = 0, b = 0; from < examples.size(); from += block, b++) {
                        if (!work.owns(condition, b)) {
                            continue;
                        }
                        // A block starts from nothing: its KV cache and calibration baselines are computed
                        // within it, so its numbers depend on its own prompts only, never on what ran before
                        // in this process. Reusing an earlier block's cache changes float32 rounding (the
                        // same prefix computed in a forward of another length): a shard, which starts mid-way,
                        // would print other digits than the unsharded run. Within a block, passes reuse the
                        // demonstrations' cache as before.
                        engine.forgetCachedPrompts();
                        PromptAnalyzer analyzer = new PromptAnalyzer(engine);
                        int end = Math.min(examples.size(), from + block);
                        for (int pass = from; pass < end; pass += perPass) {
                            List<Example> pending = new ArrayList<>();
                            for (Example example : examples.subList(pass, Math.min(end, pass + perPass))) {
                                if (!results.containsKey(example.id())) { // else finished in a stopped run
                                    pending.add(example);
                                }
                            }
                            if (runPass(engine, analyzer, recipe, lens, condition, pending, results, skipped, progress)) {
                                return true;
                            }
                        }
                    }
                    warnIfCheckpointChanged(engine); // between conditions: a training run may have saved it again
                }
                return false;
            } finally {
                warnIfCheckpointChanged(engine);
                folder.model(folder.models().get(model.name()).plus(progress.computed, progress.nanos / 1e9));
            }
        }
    }

    /** Examples computed and the time they took, for the model's rate; failures in a row, to give up on. */
    private static final class Progress {
        long computed;
        long nanos;
        int failuresInARow;
    }

    /**
     * Computes {@code pending} examples of a condition in one side-by-side pass, then records them
     * in dataset order. True when a stop was requested before or during the pass.
     */
    private boolean runPass(LensEngine engine, PromptAnalyzer analyzer, PromptRecipe recipe,
            dev.logitscope.lens.LensChoice lens, Condition condition,
            List<Example> pending, Map<String, ExampleResult> results, Map<String, Integer> skipped,
            Progress progress) throws ModelException {
        if (pending.isEmpty()) {
            return false;
        }
        if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            return true;
        }
        List<AnalysisRequest> requests = new ArrayList<>();
        for (Example example : pending) {
            requests.add(request(recipe, example).withLens(lens));
        }
        if (plan.breakPrefixReuse()) {
            engine.forgetCachedPrompts();
        }
        long start = System.nanoTime();
        List<AnalysisOutcome> outcomes;
        try {
            // A stop also lands inside the pass, between blocks: a pass of gpt2-xl takes a while.
            outcomes = Cancellation.callWith(stop::getAsBoolean, () -> analyzer.analyzeAll(requests));
        } catch (RunCancelledException e) {
            return true; // none of the pass' examples was recorded: a resume computes them
        }
        progress.nanos += System.nanoTime() - start;
        for (int i = 0; i < pending.size(); i++) {
            Example example = pending.get(i);
            AnalysisOutcome outcome = outcomes.get(i);
            if (outcome.problem() != null) {
                if (++progress.failuresInARow >= GIVE_UP_AFTER) {
                    throw new EvalException("The last " + GIVE_UP_AFTER + " examples could not be put"
                            + " into a prompt for " + condition.model() + ": " + outcome.problem().getMessage());
                }
                skipped.merge(condition.key(), 1, Integer::sum);
                firstSkip.putIfAbsent(condition.key(), outcome.problem().getMessage());
                warn("skipped example " + example.id() + " (" + condition.setting() + "): " + outcome.problem().getMessage());
                listener.step(condition, example.id());
                continue;
            }
            progress.failuresInARow = 0;
            progress.computed++;
            outcome.analysis().warnings().forEach(w -> warn(condition.setting() + ": " + w));
            ExampleResult result = toResult(condition, example, outcome.analysis());
            results.put(example.id(), result);
            folder.append(result);
            listener.step(condition, example.id());
        }
        return false;
    }

    private AnalysisRequest request(PromptRecipe recipe, Example example) {
        return AnalysisRequest.of(example.text(), recipe)
                .withPool(plan.pool())
                .withGold(example.gold())
                .withCalibration(plan.calibrate())
                .withMethod(plan.method())
                .withLossSpan(plan.lossSpan())
                .withTopK(0)
                .withMargin(plan.margin());
    }

    private ExampleResult toResult(Condition condition, Example example, PromptAnalysis analysis) {
        if (plan.method() == ScoringMethod.LOSS) {
            List<LossLayer> layers = analysis.loss().layers();
            int n = layers.size();
            double[] pos = new double[n];
            double[] neg = new double[n];
            double[] norm = new double[n];
            for (int l = 0; l < n; l++) {
                pos[l] = Math.exp(-layers.get(l).lossPositive());
                neg[l] = Math.exp(-layers.get(l).lossNegative());
                norm[l] = layers.get(l).normalizedPositive();
            }
            return new ExampleResult(condition, example.id(), example.gold(), pos, neg, norm, null);
        }
        // The analysis's own trajectory: calibrated values are on it when the plan asked for them.
        return new ExampleResult(condition, example.id(), analysis.trajectory().withGold(example.gold()));
    }

    /** The loaded weights stay as they were; the user should know the results are not the file's new version. */
    private void warnIfCheckpointChanged(LensEngine engine) {
        engine.checkpoint().notice().ifPresent(n -> warn(n + " Evaluate again into a new output folder to use the new one."));
    }

    private void warn(String message) {
        if (warned.add(message)) {
            listener.warning(message);
        }
    }

    private boolean isComplete(Map<String, Map<String, ExampleResult>> done, Map<String, Integer> skipped) {
        for (Condition c : plan.conditions()) {
            int evaluated = done.getOrDefault(c.key(), Map.of()).size();
            if ((evaluated == 0 && work.shard().whole()) || evaluated + skipped.getOrDefault(c.key(), 0) < work.examples(c)) {
                return false;
            }
        }
        return true;
    }

    private EvalSummary summary(Map<String, Map<String, ExampleResult>> done, Map<String, Integer> skipped,
            boolean complete) {
        Map<String, List<ExampleResult>> byCondition = new HashMap<>();
        for (Map.Entry<String, Map<String, ExampleResult>> e : done.entrySet()) {
            // dataset order, whatever order they were finished in
            List<ExampleResult> ordered = new ArrayList<>();
            for (Example example : examples) {
                ExampleResult r = e.getValue().get(example.id());
                if (r != null) {
                    ordered.add(r);
                }
            }
            byCondition.put(e.getKey(), ordered);
        }
        List<ModelStats> models = new ArrayList<>();
        for (ModelRef m : plan.models()) {
            ModelStats s = folder.models().get(m.name());
            if (s != null) {
                models.add(s);
            }
        }
        return SummaryBuilder.build(plan.conditions(), byCondition, skipped, models, plan.margin(), complete)
                .withLossSpan(plan.lossSpan());
    }
}

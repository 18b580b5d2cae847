package dev.logitscope.eval;

import dev.logitscope.analysis.LossSpan;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One batch evaluation from request to summary, shared by the {@code eval} command and the app's
 * Evaluate tab: {@link #prepare} checks everything the user typed, the output folder, the dataset
 * and the demonstrations before any model work; {@link #run} runs the located models into the run
 * folder. Finding models (and downloading them) and drawing plots stay with the caller.
 */
public final class EvalJob {
    private final EvalRequest request;
    private final List<Integer> shots;
    private final List<DemoLabels> labels;
    private final List<Long> seeds;
    private final ScoringMethod method;
    private final LossSpan lossSpan;
    private final List<PromptTemplate> templates;
    private final DemoOrder order;
    private final Map<String, String> options;
    private final Dataset dataset;
    private final List<Example> examples;
    private final DemoPool pool;
    /** The slice of the run this job computes ({@link Shard#WHOLE}: all of it). */
    private Shard shard = Shard.WHOLE;
    private ShardPlan shardPlan;
    /** Examples per block ({@link ShardWork#blockSize}): the unit of sharding and of KV-cache reuse. */
    private int block;

    private EvalJob(EvalRequest request, List<Integer> shots, List<DemoLabels> labels, List<Long> seeds,
            ScoringMethod method, LossSpan lossSpan, List<PromptTemplate> templates, DemoOrder order,
            Map<String, String> options, Dataset dataset, List<Example> examples, DemoPool pool) {
        this.request = request;
        this.shots = shots;
        this.labels = labels;
        this.seeds = seeds;
        this.method = method;
        this.lossSpan = lossSpan;
        this.templates = templates;
        this.order = order;
        this.options = options;
        this.dataset = dataset;
        this.examples = examples;
        this.pool = pool;
    }

    /**
     * Checks the options and the output folder, reads the dataset, selects the examples and draws
     * the demonstration pool without them. Throws {@link EvalException} (or a prompt error) with
     * a message that says what to do; nothing is written yet.
     */
    public static EvalJob prepare(EvalRequest r) {
        return prepare(r, Shard.WHOLE);
    }

    /**
     * As {@link #prepare(EvalRequest)}, for one shard of the run ({@link ShardPlan}): the shard and
     * its block size join the options, so a resume must give the same shard.
     */
    public static EvalJob prepare(EvalRequest r, Shard shard) {
        return prepare(r, shard, null);
    }

    /**
     * As {@link #prepare(EvalRequest, Shard)} with blocks of about {@code blockExamples} examples
     * (null: {@link ShardWork#DEFAULT_BLOCK}).
     */
    public static EvalJob prepare(EvalRequest r, Shard shard, Integer blockExamples) {
        int block = ShardWork.blockSize(examplesPerPass(r), blockExamples);
        if (r.seeds() < 1 || r.seeds() > 1000) {
            throw new EvalException(EvalInput.SEEDS, w -> w.name(EvalInput.SEEDS) + " must be between 1 and 1000, not "
                    + r.seeds() + ".");
        }
        if (!(r.margin() >= 0 && r.margin() < 0.5)) {
            throw new EvalException(EvalInput.MARGIN, w -> w.name(EvalInput.MARGIN)
                    + " must be at least 0 and below 0.5, not " + r.margin() + ".");
        }
        List<Integer> shotCounts = r.shots().stream().map(s -> Shots.parse(s).k()).distinct().toList();
        List<DemoLabels> labels = r.demoLabels().stream().map(DemoLabels::parse).distinct().toList();
        List<Long> seedList = new ArrayList<>();
        for (long s = 0; s < r.seeds(); s++) {
            seedList.add(s);
        }
        ScoringMethod scoring = ScoringMethod.parse(r.method());
        LossSpan span = LossSpan.parse(r.lossSpan());
        if (r.lossSpan() != null && scoring != ScoringMethod.LOSS) {
            throw new EvalException(EvalInput.LOSS_SPAN, w -> w.name(EvalInput.LOSS_SPAN) + " applies to "
                    + w.name(EvalInput.METHOD) + " loss; set " + w.name(EvalInput.METHOD) + " to loss or "
                    + w.turnOff(EvalInput.LOSS_SPAN) + ".");
        }
        checkLenses(r, scoring);
        List<PromptTemplate> promptTemplates = templateNames(r).stream().map(TemplateLibrary::resolve).toList();
        EvalPlan.checkTemplateNames(promptTemplates);
        LabelWords labelWords = commonLabels(promptTemplates, scoring);
        DemoOrder order = DemoOrder.parse(demoOrder(r));
        Selection selection = new Selection(r.limit(), r.sample(), r.sampleSeed());
        DatasetSpec datasetSpec = spec(r, r.dataset(), labelWords);
        DatasetFormat resolved = datasetSpec.resolvedFormat();
        Map<String, String> options = options(r, resolved, shotCounts, labels, scoring, span, labelWords);
        if (!shard.whole()) {
            options.put("shard", shard.spec());
            // what decides the passes of every block, which must be the same in every shard
            options.put("shard_block", String.valueOf(block));
            options.put("shard_batch", String.valueOf(examplesPerPass(r)));
        }
        RunFolder.check(r.out(), options, r.resume());

        Dataset data = DatasetReader.read(datasetSpec.withFormat(resolved));
        List<Example> examples = selection.apply(data.examples());
        DemoPool pool = r.train() != null
                ? DemoSource.fromDataset(DatasetReader.read(spec(r, r.train(), labelWords)), labelWords.size())
                : r.demoPool() != null ? DemoPool.load(r.demoPool(), labelWords) : DemoPool.builtIn();
        pool = DemoSource.excluding(pool, examples);
        int maxShots = scoring == ScoringMethod.LOSS ? 0 : shotCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (maxShots > 0 && pool.labelCount() != labelWords.size()) {
            throw new EvalException(EvalInput.DEMO_POOL, w -> "The templates have " + labelWords.size() + " labels "
                    + labelWords.names() + " but the built-in demonstration pool is positive/negative; give "
                    + w.name(EvalInput.TRAIN) + " or " + w.name(EvalInput.DEMO_POOL)
                    + " labelled with the template's labels, or use zero shots.");
        }
        // Checked here, before any model is located: a too-small pool must not wait for a download.
        DemoSource.checkEnough(pool, scoring == ScoringMethod.LOSS ? 0
                : shotCounts.stream().mapToInt(Integer::intValue).max().orElse(0));
        EvalJob job = new EvalJob(r, shotCounts, labels, seedList, scoring, span, promptTemplates, order, options, data,
                examples, pool);
        job.shard = shard;
        job.block = block;
        return job;
    }

    /** Lens folders exist, keys differ, the classifier-head lens reads the next-token way: before any model is found. */
    private static void checkLenses(EvalRequest r, ScoringMethod scoring) {
        List<String> keys = new ArrayList<>();
        for (LensChoice lens : r.lenses()) {
            if (lens.folder() != null && !java.nio.file.Files.isDirectory(lens.folder())) {
                throw new EvalException("The lens " + lens.folder() + " is not a folder: give logit, classifier, tuned:NAME,"
                        + " a tuned lens folder (config.json + params.pt) or a fit-lens folder.");
            }
            if (keys.contains(lens.key())) {
                throw new EvalException("Two lenses are called '" + lens.key() + "'; give each lens folder its own name"
                        + " (results are filed by it).");
            }
            keys.add(lens.key());
            if (lens.isClassifier() && scoring == ScoringMethod.LOSS) {
                throw new EvalException("The classifier-head lens reads the model's score head, not a label's loss: use"
                        + " the next-token method with it.");
            }
        }
    }

    /** Examples per pass, and so per shard block: --batch, or 1 when prefix reuse is broken on purpose. */
    private static int examplesPerPass(EvalRequest r) {
        return r.noPrefixReuse() ? 1 : r.batch() == 0 ? EvalPlan.DEFAULT_BATCH : r.batch();
    }

    public Shard shard() {
        return shard;
    }

    /**
     * How the run is cut into shards, computed from the located models (their size and tokenizer)
     * and the examples; the same for every shard of the run. Null for an unsharded job.
     */
    public ShardPlan shardPlan(List<ModelRef> models) {
        if (shard.whole()) {
            return null;
        }
        if (shardPlan == null) {
            EvalPlan plan = plan(models);
            shardPlan = ShardPlan.of(plan.conditions(), examples.size(), block, shard.count(),
                    WorkCost.of(models, templates, examples));
        }
        return shardPlan;
    }

    private EvalPlan plan(List<ModelRef> models) {
        return new EvalPlan(models, shots, labels, seeds, templates, order, pool, method, request.calibrate(),
                request.margin(), request.noPrefixReuse(), examplesPerPass(request), lossSpan, request.lenses());
    }

    /** The templates, shot counts, seeds and demonstration order, as the provenance records them. */
    List<PromptTemplate> templates() {
        return templates;
    }

    List<Integer> shotCounts() {
        return shots;
    }

    List<Long> seeds() {
        return seeds;
    }

    DemoOrder order() {
        return order;
    }

    /**
     * Runs the plan on the located models (in request order) into the run folder and returns the
     * summary, partial when {@code stop} ended it early; summary.json and examples.csv are written
     * either way.
     *
     * @param partial told, on the runner's thread, the summary so far each time a condition is
     *                finished (null: not wanted)
     */
    public EvalSummary run(List<ModelRef> models, EvalListener listener, BooleanSupplier stop,
            Consumer<EvalSummary> partial) throws ModelException {
        return run(models, EngineSource.OPEN, listener, stop, partial);
    }

    /** As {@link #run(List, EvalListener, BooleanSupplier, Consumer)}, each model's engine from {@code engines}. */
    public EvalSummary run(List<ModelRef> models, EngineSource engines, EvalListener listener, BooleanSupplier stop,
            Consumer<EvalSummary> partial) throws ModelException {
        EvalPlan plan = plan(models);
        EvalListener quiet = listener == null ? EvalListener.NONE : listener;
        try (RunFolder folder = RunFolder.open(request.out(), options, request.resume(),
                templates.get(0).labels().names())) {
            if (templates.get(0).labels().size() > 2) {
                folder.section("labels", labelsSection(templates.get(0).labels()));
            }
            if (method == ScoringMethod.LOSS) {
                if (shots.size() > 1 || shots.get(0) != 0 || labels.size() > 1 || seeds.size() > 1) {
                    quiet.warning("the loss method's prompt has no demonstrations: one condition per model,"
                            + " whatever --shots, --demo-labels and --seeds say");
                }
                for (PromptTemplate t : templates) {
                    PromptTemplate twin = plan.lossTwin(t);
                    if (twin != t) {
                        quiet.warning("template " + t.name() + " has the same loss prompt as " + twin.name()
                                + ": the loss method scores it once, as " + twin.name());
                    }
                }
            }
            if (request.lenses().contains(LensChoice.CLASSIFIER) && shots.stream().anyMatch(k -> k > 0)) {
                quiet.warning("the classifier-head lens reads the review alone, without demonstrations: it runs once per"
                        + " template as a zero-shot condition, whatever --shots, --demo-labels and --seeds say");
            }
            if (folder.droppedRows() > 0) {
                quiet.warning("dropped " + folder.droppedRows() + " rows of an example cut off by the stop; it is redone");
            }
            EvalListener watched = partial == null ? quiet
                    : new ConditionWatch(quiet, plan, folder, examples.size(), partial);
            EvalRunner runner = new EvalRunner(plan, examples, folder, watched, stop, engines);
            runner.restrictTo(shard.whole() ? ShardWork.whole(block, examples.size())
                    : ShardWork.of(shard, shardPlan(models), examples.size()));
            RunRecord record = RunRecord.start(folder, this, models);
            EvalSummary summary = runner.run();
            record.finish(summary);
            return summary;
        }
    }

    public EvalRequest request() {
        return request;
    }

    /** The dataset as read (its skipped lines, with {@code skip-bad}). */
    public Dataset dataset() {
        return dataset;
    }

    /** The examples evaluated: the selection of the dataset. */
    public List<Example> examples() {
        return examples;
    }

    /** The demonstrations drawn from, without the evaluated reviews. */
    public DemoPool pool() {
        return pool;
    }

    public DatasetFormat format() {
        return dataset.format();
    }

    /** How plot titles name the dataset: its file or folder name. */
    public String datasetName() {
        Path d = request.dataset();
        return d.getFileName() == null ? d.toString() : d.getFileName().toString();
    }

    /** The options that decide the results, as the manifest records them (a resume must match). */
    public Map<String, String> options() {
        return options;
    }

    /** The templates asked for, groups expanded, each once, in the order given; the default when none. */
    private static List<String> templateNames(EvalRequest r) {
        List<String> names = new ArrayList<>();
        for (String t : r.templates()) {
            if (t == null || t.isBlank()) {
                continue;
            }
            for (String name : TemplateLibrary.expand(t.strip())) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names.isEmpty() ? List.of(TemplateLibrary.DEFAULT_NAME) : names;
    }

    private static String demoOrder(EvalRequest r) {
        return r.demoOrder() == null ? DemoOrder.ALTERNATING.key() : r.demoOrder();
    }

    private static DatasetSpec spec(EvalRequest r, Path path, LabelWords labels) {
        return new DatasetSpec(path, r.format() == null || path.equals(r.train()) ? null : DatasetFormat.parse(r.format()),
                r.textCol(), r.labelCol(), LabelMap.parse(r.labelMap(), labels), r.skipBad());
    }

    /**
     * What the numbers of a run with more than two labels mean, in summary.json and the manifest:
     * the definitions that differ from the two-label ones.
     */
    static com.google.gson.JsonObject labelsSection(LabelWords words) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        com.google.gson.JsonArray names = new com.google.gson.JsonArray();
        words.names().forEach(names::add);
        o.add("names", names);
        com.google.gson.JsonArray inPrompt = new com.google.gson.JsonArray();
        words.words().forEach(inPrompt::add);
        o.add("words", inPrompt);
        o.addProperty("prediction", "argmax over the labels of their renormalised probabilities");
        o.addProperty("calibrated_accuracy", "Halawi et al. (get_thresholds, get_cal_correct_over_incorrect): per label"
                + " a threshold at the (N-1)/N quantile of its renormalised probability over the examples (linear"
                + " interpolation); 1 above the gold label's threshold, 1/N at it, 0 below");
        o.addProperty("contextual_accuracy", "Zhao et al.: argmax of diag(p_cf)^-1 p, renormalised");
        o.addProperty("flipped_demo_labels", "each shown label i replaced by label (i + 1) mod N");
        o.addProperty("overthinking_margin", "correct with margin: P(gold) - max P(other label) >= 2 * margin");
        return o;
    }

    /**
     * The label words every template shares: one evaluation reads one label set (the dataset's
     * labels, examples.csv's columns). Two-label templates may word their pair differently (their
     * classes are positive and negative); templates of more labels must name the same labels.
     */
    static LabelWords commonLabels(List<PromptTemplate> templates, ScoringMethod method) {
        PromptTemplate first = templates.get(0);
        for (PromptTemplate t : templates) {
            boolean same = t.labels().size() == 2 && first.labels().size() == 2
                    || t.labels().names().equals(first.labels().names());
            if (!same) {
                throw new EvalException("The templates " + first.name() + " (labels " + first.labels().names() + ") and "
                        + t.name() + " (labels " + t.labels().names() + ") have different label sets; evaluate"
                        + " templates of one label set together.");
            }
        }
        if (method == ScoringMethod.LOSS && first.labels().size() != 2) {
            throw new EvalException(EvalInput.METHOD, w -> "the loss method scores two classes, but " + first.name()
                    + " has " + first.labels().size() + " labels; use " + w.name(EvalInput.METHOD) + " next-token.");
        }
        return first.labels();
    }

    private static Map<String, String> options(EvalRequest r, DatasetFormat resolved, List<Integer> shotCounts,
            List<DemoLabels> labels, ScoringMethod scoring, LossSpan span, LabelWords labelWords) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("models", String.join(",", r.models()));
        o.put("dataset", r.dataset().toAbsolutePath().normalize().toString());
        o.put("format", resolved.key());
        o.put("text_col", String.valueOf(r.textCol()));
        o.put("label_col", String.valueOf(r.labelCol()));
        o.put("label_map", LabelMap.parse(r.labelMap(), labelWords).spec());
        o.put("limit", String.valueOf(r.limit()));
        o.put("sample", String.valueOf(r.sample()));
        o.put("sample_seed", String.valueOf(r.sampleSeed()));
        o.put("skip_bad", String.valueOf(r.skipBad()));
        o.put("train", r.train() == null ? "null" : r.train().toAbsolutePath().normalize().toString());
        o.put("demo_pool", r.demoPool() == null ? "built-in" : r.demoPool().toAbsolutePath().normalize().toString());
        o.put("template", templateNames(r).stream().map(t -> TemplateLibrary.allNames().contains(t) ? t
                : Path.of(t).toAbsolutePath().normalize().toString()).collect(Collectors.joining(",")));
        o.put("shots", shotCounts.stream().map(String::valueOf).collect(Collectors.joining(",")));
        o.put("demo_labels", labels.stream().map(DemoLabels::key).collect(Collectors.joining(",")));
        o.put("demo_order", DemoOrder.parse(demoOrder(r)).key());
        o.put("seeds", String.valueOf(r.seeds()));
        o.put("method", scoring.key());
        if (scoring == ScoringMethod.LOSS) {
            o.put("loss_span", span.key()); // next-token runs keep the manifest they always had
        }
        o.put("calibrate", String.valueOf(r.calibrate()));
        o.put("margin", String.valueOf(r.margin()));
        if (!r.lenses().isEmpty() && !r.lenses().equals(List.of(LensChoice.LOGIT))) {
            // a run read through the logit lens alone keeps the manifest it always had
            o.put("lens", r.lenses().stream().map(LensChoice::toString).collect(Collectors.joining(",")));
        }
        return o;
    }

    /**
     * Passes every event on and, when the last example of a condition is finished, reads the run
     * folder's rows back into a summary so far. The runner keeps its results to itself; the rows
     * it has flushed are the same numbers.
     */
    private static final class ConditionWatch implements EvalListener {
        private final EvalListener inner;
        private final EvalPlan plan;
        private final RunFolder folder;
        private final int perCondition;
        private final Consumer<EvalSummary> partial;
        private final Map<String, Integer> steps = new HashMap<>();

        ConditionWatch(EvalListener inner, EvalPlan plan, RunFolder folder, int perCondition,
                Consumer<EvalSummary> partial) {
            this.inner = inner;
            this.plan = plan;
            this.folder = folder;
            this.perCondition = perCondition;
            this.partial = partial;
            folder.loaded().forEach(r -> steps.merge(r.condition().key(), 1, Integer::sum));
        }

        @Override
        public void started(long total, long done) {
            inner.started(total, done);
            if (done > 0) {
                report(); // a resumed run shows what it already has
            }
        }

        @Override
        public void loading(String model) {
            inner.loading(model);
        }

        @Override
        public void step(Condition condition, String exampleId) {
            inner.step(condition, exampleId);
            if (steps.merge(condition.key(), 1, Integer::sum) == perCondition) {
                report();
            }
        }

        @Override
        public void warning(String message) {
            inner.warning(message);
        }

        private void report() {
            Path csv = folder.dir().resolve(RunFolder.EXAMPLES);
            if (!Files.isRegularFile(csv)) {
                return;
            }
            Map<String, List<ExampleResult>> byCondition = new LinkedHashMap<>();
            for (ExampleResult r : ExamplesCsv.parse(csv.toString(), DatasetReader.readText(csv)).results()) {
                byCondition.computeIfAbsent(r.condition().key(), k -> new ArrayList<>()).add(r);
            }
            List<ModelStats> models = new ArrayList<>();
            for (ModelRef m : plan.models()) {
                ModelStats s = folder.models().get(m.name());
                if (s != null) {
                    models.add(s);
                }
            }
            partial.accept(SummaryBuilder.build(plan.conditions(), byCondition, Map.of(), models, plan.margin(), false)
                    .withLossSpan(plan.lossSpan()));
        }
    }
}

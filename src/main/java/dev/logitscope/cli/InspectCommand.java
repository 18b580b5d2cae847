package dev.logitscope.cli;

import com.google.gson.JsonObject;
import dev.logitscope.analysis.AnalysisJson;
import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.GridPositions;
import dev.logitscope.analysis.LensComparison;
import dev.logitscope.analysis.LensesJson;
import dev.logitscope.analysis.LossSpan;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.analysis.TokenGridReport;
import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.eval.FileHashes;
import dev.logitscope.eval.Provenance;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.TunedLensHub;
import dev.logitscope.json.JsonText;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code logitscope inspect}: the lens of every layer for one prompt, as JSON or a table. With
 * {@code --prompt} the exact text is read; with {@code --review} the review is put into a template
 * with demonstrations and every layer's verdict is added.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Run a prompt through the model and read every layer through the logit lens.")
final class InspectCommand implements Callable<Integer> {

    /** The labels --prompt reads when --labels is not given. */
    private static final List<String> PROMPT_LABELS = List.of(" positive", " negative");
    /** Options that only make sense when a review is put into a template. */
    private static final List<String> REVIEW_ONLY = List.of("--template", "--shots", "--demo-labels", "--demo-order",
            "--seed", "--gold", "--calibrate", "--method", "--loss-span", "--demo-pool", "--margin", "--compare-demos", "--grid-positions");

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT",
            description = "The exact text to analyse (use this or --review).")
    String prompt;

    @Option(names = {"-r", "--review"}, paramLabel = "TEXT",
            description = "A review to classify: it is put into the template with demonstrations, and every layer's"
                    + " verdict is reported (use this or --prompt). May be empty.")
    String review;

    @Option(names = "--prompt-file", paramLabel = "PATH",
            description = "Read the --prompt text from a UTF-8 file ('-' reads standard input); one final line break"
                    + " is dropped.")
    Path promptFile;

    @Option(names = "--review-file", paramLabel = "PATH",
            description = "Read the --review text from a UTF-8 file ('-' reads standard input); one final line break"
                    + " is dropped.")
    Path reviewFile;

    @Option(names = "--labels", arity = "1..*", paramLabel = "WORD", split = ",",
            description = "Words whose probabilities are followed through the layers, with their leading space"
                    + " (the lens reads each word's first token). With --prompt the default is \" positive\""
                    + " \" negative\"; with --review two or more words in class order (positive first for two),"
                    + " overriding the template's.")
    List<String> labels;

    @Option(names = "--top", defaultValue = "5", description = "Top tokens per layer. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--positions", defaultValue = "last", paramLabel = "last|all",
            description = "Read the last position only, or every position (the token × layer grid). Default: ${DEFAULT-VALUE}.")
    String positions;

    @Option(names = "--lens", split = ",", paramLabel = "logit|classifier|tuned:NAME|PATH",
            description = "The lens every layer is read through; repeat it or give a comma list to read the same run"
                    + " through several side by side (--lens logit,tuned:gpt2). 'logit' (the plain logit lens), 'classifier' (the"
                    + " model's classification head, score, read at every layer; the review is read as it is), a tuned lens the"
                    + " tuned-lens project publishes, by the model name it was trained for (tuned:gpt2, fetched into"
                    + " the Hugging Face cache from the Space AlignmentResearch/tuned-lens, folder lens/NAME), a"
                    + " tuned lens folder (config.json + params.pt) made for this model, or an affine lens folder"
                    + " fit-lens wrote for it. Default: logit.")
    List<String> lens;

    /** The hub's settings; null: from the environment (tests give their own). */
    private final HubSettings hubSettings;

    InspectCommand() {
        this(null);
    }

    InspectCommand(HubSettings hubSettings) {
        this.hubSettings = hubSettings;
    }

    @Option(names = "--mid-block", description = "Also read the residual stream after each block's attention (layers i-0.5).")
    boolean midBlock;

    @Option(names = "--template", defaultValue = TemplateLibrary.DEFAULT_NAME, paramLabel = "NAME|FILE",
            description = "Prompt template: a built-in name (seed-notebook, seed-movie-review, review-sentiment,"
                    + " review-answer, overthinking-sst2-1 … -14) or a .template file."
                    + " Default: ${DEFAULT-VALUE}.")
    String template;

    @Option(names = "--shots", defaultValue = "0", paramLabel = "0|1|K",
            description = "Demonstrations before the review: 0, 1 or k (few-shot). Default: ${DEFAULT-VALUE}.")
    String shots;

    @Option(names = "--demo-labels", defaultValue = "correct", paramLabel = "correct|flipped|random",
            description = "Labels the demonstrations show. Default: ${DEFAULT-VALUE}.")
    String demoLabels;

    @Option(names = "--demo-order", defaultValue = "alternating", paramLabel = "alternating|shuffled",
            description = "Order of the demonstrations. Default: ${DEFAULT-VALUE}.")
    String demoOrder;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of demonstration choice and random labels."
            + " Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--demo-pool", paramLabel = "FILE",
            description = "Labelled reviews to draw demonstrations from (LABEL<TAB>REVIEW per line). Default: the built-in pool.")
    Path demoPool;

    @Option(names = "--gold", paramLabel = "LABEL",
            description = "The review's true label (positive|negative, or a label word or its index 0..N-1 for a"
                    + " template of N labels): adds correct/wrong per layer and the overthinking verdict.")
    String gold;

    @Option(names = "--calibrate",
            description = "Add contextual calibration: the same prompt with the reviews \"N/A\", \"\" and \"[MASK]\".")
    boolean calibrate;

    @Option(names = "--method", defaultValue = "next-token", paramLabel = "next-token|loss",
            description = "next-token reads the label words; loss also scores each class by the LM loss of a"
                    + " class-conditioned prompt with the review (a different method). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--loss-span", paramLabel = "whole|review",
            description = "With --method loss, the tokens scored: whole = every predicted token of the class prompt"
                    + " (a causal LM's loss on it, the default), review = the review's tokens only.")
    String lossSpan;

    @Option(names = "--margin", defaultValue = "0.1", paramLabel = "DELTA",
            description = "Overthinking margin: a layer is confidently correct when the renormalised probability of"
                    + " the gold label is at least 0.5 + DELTA. Default: ${DEFAULT-VALUE}.")
    double margin;

    @Option(names = "--json", description = "Print one JSON document (the stable format scripts rely on).")
    boolean json;

    @Option(names = "--compare-demos", description = "With --review: the same review zero-shot and with K correct and K"
            + " flipped demonstrations (K from --shots, 4 when --shots is 0; order, seed, pool and --calibrate as given),"
            + " as the app's Compare overlay: drawn by --plot trajectory, and under \"demo_comparison\" with --json."
            + " Values are P(positive) over the two labels, calibrated with --calibrate.")
    boolean compareDemos;

    @Option(names = "--grid-positions", defaultValue = "all", paramLabel = "query|all",
            description = "With --review and --plot grid: the positions the token × layer grid reads — query = the"
                    + " review and what follows it (the app's grid tab), all = every position with the demonstrations."
                    + " With --json the grid's numbers are printed under \"token_grid\". Default: ${DEFAULT-VALUE}.")
    String gridPositions;

    @Mixin
    PictureOptions pictures;

    @Override
    public Integer call() throws Exception {
        prompt = TextArgument.resolve(prompt, "--prompt", promptFile, "--prompt-file");
        review = TextArgument.resolve(review, "--review", reviewFile, "--review-file");
        if ((prompt == null) == (review == null)) {
            throw new UserException("Give exactly one of --prompt TEXT (the exact text) or --review TEXT"
                    + " (a review put into a template), or --prompt-file / --review-file PATH.");
        }
        LensRequest.Positions which = switch (positions.toLowerCase(Locale.ROOT)) {
            case "last" -> LensRequest.Positions.LAST;
            case "all" -> LensRequest.Positions.ALL;
            default -> throw new UserException("--positions must be 'last' or 'all', not '" + positions + "'.");
        };
        if (top < 0 || top > 1000) {
            throw new UserException("--top must be between 0 and 1000, not " + top + ".");
        }
        pictures.check();
        if (prompt != null) {
            checkPromptOptions();
        } else {
            reviewRequest(which);
        }
        List<LensChoice> lenses = lensChoices(); // a published lens is fetched before the model loads: mistakes fail fast
        if (lenses.size() > 1) {
            checkSeveralLenses();
        }
        if (pictures.needsAllPositions()) {
            which = LensRequest.Positions.ALL;
        }
        if (lenses.size() > 1) {
            return prompt != null ? inspectPrompt(which, lenses) : inspectReview(which, lenses);
        }
        LensChoice lensDir = lenses.get(0);
        return prompt != null ? inspectPrompt(which, lensDir) : inspectReview(which, lensDir);
    }

    /** What several lenses side by side do not offer yet: said before the model loads. */
    private void checkSeveralLenses() throws UserException {
        if (compareDemos) {
            throw new UserException("--compare-demos reads one lens: give one --lens with it (e.g. --lens logit), or drop"
                    + " --compare-demos to put several lenses side by side.");
        }
        if (pictures.wanted() && pictures.plot() == PictureOptions.Plot.GRID) {
            throw new UserException("--plot grid draws one lens's token × layer grid: give one --lens with it, or choose"
                    + " --plot heatmap, trajectory or kl to draw several lenses side by side.");
        }
    }

    /** {@code inspect --prompt} through several lenses : side by side, no verdicts. */
    private int inspectPrompt(LensRequest.Positions which, List<LensChoice> lenses) throws Exception {
        if (lenses.contains(LensChoice.CLASSIFIER)) {
            throw new UserException("--lens classifier reads a review's classes: use --review, not --prompt.");
        }
        try (LensEngine engine = modelOptions.open()) {
            Map<String, AnalysisProvenance.Source> sources = new LinkedHashMap<>();
            for (LensChoice choice : lenses) {
                engine.prepareLens(choice);
                sources.put(choice.key(), AnalysisProvenance.Source.of(engine, choice));
            }
            List<String> words = labels == null ? PROMPT_LABELS : labels;
            List<TrackedWord> tracked = engine.track(words);
            Map<LensChoice, LensReport> reports = new LinkedHashMap<>();
            for (LensChoice choice : lenses) {
                reports.put(choice, engine.inspect(prompt, tracked, top, which, midBlock, choice));
            }
            JsonObject provenance = pictures.wanted() || json ? AnalysisProvenance.withLenses(AnalysisProvenance.ofPrompt(
                    sources.values().iterator().next(), prompt, words, FileHashes.user(), Instant.now()), sources,
                    FileHashes.user()) : null;
            if (pictures.wanted()) {
                pictures.write(reports, prompt, AnalysisProvenance.pictureText(provenance));
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean all = which == LensRequest.Positions.ALL;
            if (json) {
                JsonObject root = lenses.size() > 1 ? LensesJson.ofPrompt(reports, all)
                        : LensJson.report(reports.values().iterator().next(), all);
                root.add(Provenance.SECTION, provenance);
                out.println(JsonText.compact(root));
            } else if (lenses.size() > 1) {
                LensesTable.print(out, reports, all);
            } else {
                LensTable.print(out, reports.values().iterator().next(), all);
            }
            out.flush();
            warnIfCheckpointChanged(engine);
        }
        return 0;
    }

    /** {@code inspect --review} through several lenses : side by side, each verdict naming its lens. */
    private int inspectReview(LensRequest.Positions which, List<LensChoice> lenses) throws Exception {
        AnalysisRequest request = reviewRequest(which);
        try (LensEngine engine = modelOptions.open()) {
            Map<String, AnalysisProvenance.Source> sources = new LinkedHashMap<>();
            for (LensChoice choice : lenses) {
                engine.prepareLens(choice);
                sources.put(choice.key(), AnalysisProvenance.Source.of(engine, choice));
            }
            LensComparison comparison = LensComparison.run(new PromptAnalyzer(engine), request, lenses);
            PromptAnalysis first = comparison.runs().values().iterator().next();
            JsonObject provenance = pictures.wanted() || json ? AnalysisProvenance.withLenses(AnalysisProvenance.of(
                    sources.values().iterator().next(), first, FileHashes.user(), Instant.now()), sources,
                    FileHashes.user()) : null;
            if (pictures.wanted()) {
                pictures.write(comparison, AnalysisProvenance.pictureText(provenance));
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean all = which == LensRequest.Positions.ALL;
            if (json) {
                JsonObject root = lenses.size() > 1 ? LensesJson.of(comparison, all) : AnalysisJson.report(first, all);
                root.add(Provenance.SECTION, provenance);
                out.println(JsonText.compact(root));
            } else if (lenses.size() > 1) {
                LensesTable.print(out, comparison, all);
            } else {
                AnalysisTable.print(out, first, all);
            }
            out.flush();
            warnIfCheckpointChanged(engine);
        }
        return 0;
    }

    private void checkPromptOptions() throws UserException {
        ParseResult parsed = spec.commandLine().getParseResult();
        for (String option : REVIEW_ONLY) {
            if (parsed.hasMatchedOption(option)) {
                throw new UserException(option + " applies to --review; with --prompt the text is analysed as it is.");
            }
        }
    }

    /** The engine issue's behaviour, unchanged: the exact text, the given labels, no verdicts. */
    private int inspectPrompt(LensRequest.Positions which, LensChoice lensDir) throws Exception {
        try (LensEngine engine = modelOptions.open()) {
            if (lensDir.isClassifier()) {
                throw new UserException("--lens classifier reads a review's classes: use --review, not --prompt.");
            }
            engine.prepareLens(lensDir);
            List<String> words = labels == null ? PROMPT_LABELS : labels;
            List<TrackedWord> tracked = engine.track(words);
            LensReport report = engine.inspect(prompt, tracked, top, which, midBlock, lensDir);
            JsonObject provenance = pictures.wanted() || json ? AnalysisProvenance.ofPrompt(
                    AnalysisProvenance.Source.of(engine, lensDir), prompt, words, FileHashes.user(), Instant.now()) : null;
            if (pictures.wanted()) {
                pictures.write(report, prompt, AnalysisProvenance.pictureText(provenance));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonObject root = LensJson.report(report, which == LensRequest.Positions.ALL);
                root.add(Provenance.SECTION, provenance);
                out.println(JsonText.compact(root));
            } else {
                LensTable.print(out, report, which == LensRequest.Positions.ALL);
            }
            out.flush();
            warnIfCheckpointChanged(engine);
        }
        return 0;
    }

    private int inspectReview(LensRequest.Positions which, LensChoice lensDir) throws Exception {
        AnalysisRequest request = reviewRequest(which).withLens(lensDir);
        try (LensEngine engine = modelOptions.open()) {
            engine.prepareLens(lensDir);
            PromptAnalyzer analyzer = new PromptAnalyzer(engine);
            PromptAnalysis analysis = analyzer.analyze(request);
            DemoComparison comparison = compareDemos ? DemoComparison.run(analyzer, request) : null;
            boolean gridWanted = pictures.plot() == PictureOptions.Plot.GRID && (pictures.wanted() || json);
            LensReport grid = gridWanted ? TokenGridReport.read(engine, analysis, gridPositionsChoice(), top) : null;
            JsonObject provenance = pictures.wanted() || json ? AnalysisProvenance.of(AnalysisProvenance.Source.of(engine, lensDir),
                    analysis, FileHashes.user(), Instant.now()) : null;
            if (pictures.wanted()) {
                pictures.write(analysis, grid, comparison, AnalysisProvenance.pictureText(provenance));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonObject root = AnalysisJson.report(analysis, which == LensRequest.Positions.ALL);
                root.add(Provenance.SECTION, provenance);
                if (comparison != null) {
                    root.add("demo_comparison", AnalysisJson.comparison(comparison));
                }
                if (grid != null) {
                    root.add("token_grid", GridJson.of(pictures.gridData(grid), gridPositionsChoice()));
                }
                out.println(JsonText.compact(root));
            } else {
                AnalysisTable.print(out, analysis, which == LensRequest.Positions.ALL);
            }
            out.flush();
            warnIfCheckpointChanged(engine);
        }
        return 0;
    }

    /**
     * The lenses {@code --lens} names, in the order given, each once (a published lens fetched into
     * the cache first). Two different lenses with one key (two folders of one name) would be
     * indistinguishable in the tables, JSON and legends: refused.
     */
    private List<LensChoice> lensChoices() throws UserException, HubException {
        List<LensChoice> out = new java.util.ArrayList<>();
        for (String one : lens == null ? List.of("logit") : lens) {
            if (one.isBlank()) {
                throw new UserException("--lens has an empty entry: give logit, classifier, tuned:NAME or a folder,"
                        + " comma-separated.");
            }
            LensChoice choice = lensChoice(one.strip());
            for (LensChoice seen : out) {
                if (!seen.equals(choice) && seen.key().equals(choice.key())) {
                    throw new UserException("--lens names two lenses called '" + choice.key() + "' (" + seen + " and "
                            + choice + "); rename one folder so the tables and legends can tell them apart.");
                }
            }
            if (!out.contains(choice)) {
                out.add(choice);
            }
        }
        return out;
    }

    /** The lens one {@code --lens} entry names (a published lens fetched into the cache first). */
    private LensChoice lensChoice(String lens) throws UserException, HubException {
        if (lens.equalsIgnoreCase("logit")) {
            return LensChoice.LOGIT;
        }
        if (lens.equalsIgnoreCase("classifier")) {
            return LensChoice.CLASSIFIER;
        }
        if (TunedLensHub.isHubName(lens)) {
            return LensChoice.folder(LensDownload.fetch(lens.substring(TunedLensHub.PREFIX.length()),
                    hubSettings != null ? hubSettings : HubSettings.fromSystem(), spec.commandLine().getErr()));
        }
        Path folder = Path.of(lens);
        if (!Files.isDirectory(folder)) {
            throw new UserException("--lens takes 'logit', 'classifier' (a classification head), tuned:NAME (a published tuned lens, e.g. tuned:gpt2), a"
                    + " tuned lens folder (config.json + params.pt) or a fit-lens folder; " + lens + " is not a folder.");
        }
        return LensChoice.folder(folder);
    }

    private void warnIfCheckpointChanged(LensEngine engine) {
        engine.checkpoint().notice().ifPresent(n -> spec.commandLine().getErr().println("warning: " + n
                + " Run again to use the new one."));
    }

    private GridPositions gridPositionsChoice() throws UserException {
        GridPositions p = GridPositions.parse(gridPositions);
        if (p == null) {
            throw new UserException("--grid-positions must be 'query' or 'all', not '" + gridPositions + "'.");
        }
        return p;
    }

    /** Reads and checks every review option before the model is loaded, so mistakes fail fast. */
    private AnalysisRequest reviewRequest(LensRequest.Positions which) throws UserException {
        gridPositionsChoice();
        pictures.plot();
        if (review.isBlank()) {
            throw new UserException("The review is empty: give its text with --review \"...\".");
        }
        if (!(margin >= 0 && margin < 0.5)) {
            throw new UserException("--margin must be at least 0 and below 0.5, not " + margin + ".");
        }
        LabelWords override = null;
        if (labels != null) {
            if (labels.size() < 2) {
                throw new UserException("With --review, --labels takes two words, positive first (e.g. --labels"
                        + " \" good, bad\"), or more in class order; got " + labels.size() + ".");
            }
            override = new LabelWords(labels);
        }
        ScoringMethod scoring = ScoringMethod.parse(method);
        if (lossSpan != null && scoring != ScoringMethod.LOSS) {
            throw new UserException("--loss-span applies to --method loss; add --method loss or drop --loss-span.");
        }
        PromptRecipe recipe = new PromptRecipe(TemplateLibrary.resolve(template), Shots.parse(shots),
                DemoLabels.parse(demoLabels), DemoOrder.parse(demoOrder), seed);
        LabelWords words = override != null ? override : recipe.template().labels();
        DemoPool pool = demoPool == null ? null : DemoPool.load(demoPool, words);
        return new AnalysisRequest(review, recipe, pool, override, gold == null ? null : words.parse(gold),
                calibrate, scoring, top, which, midBlock, margin, LossSpan.parse(lossSpan), null);
    }
}

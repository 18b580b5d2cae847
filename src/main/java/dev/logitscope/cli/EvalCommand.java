package dev.logitscope.cli;

import dev.logitscope.eval.Provenance;
import dev.logitscope.eval.Condition;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.EvalJob;
import dev.logitscope.eval.EvalListener;
import dev.logitscope.eval.EvalPlan;
import dev.logitscope.eval.EvalRequest;
import dev.logitscope.plot.EvalPlots;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.eval.RunFolder;
import dev.logitscope.eval.ShardPlan;
import dev.logitscope.hub.DownloadListener;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.prompt.TemplateLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code logitscope eval}: accuracy of every layer's lens over a dataset, for every model × shots ×
 * demo labels × seed; summary.json, examples.csv and plots in {@code --out}, a table on stdout.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate every layer's lens over a dataset: accuracy per layer with correct vs. flipped"
                + " demonstrations, the critical layer, and final accuracy across model sizes.")
final class EvalCommand implements Callable<Integer> {
    /** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
    static final int STOPPED = 130;

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "MODEL",
            description = "Models, comma-separated: hub ids (distilgpt2, gpt2, gpt2-medium, gpt2-large, gpt2-xl, org/name)"
                    + " or model folders.")
    List<String> models;

    @Option(names = "--dataset", paramLabel = "FILE|DIR", description = "The dataset to evaluate.")
    Path dataset;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "sst2, glue, imdb-dir, imdb-csv, csv, tsv or jsonl. Default: detected from the path.")
    String format;

    @Option(names = "--text-col", paramLabel = "NAME", description = "Text column/field of csv, tsv and jsonl"
            + " (default: text, sentence or review).")
    String textCol;

    @Option(names = "--label-col", paramLabel = "NAME", description = "Label column/field (default: label or sentiment).")
    String labelCol;

    @Option(names = "--label-map", paramLabel = "V=LABEL,...",
            description = "Label values, e.g. pos=positive,neg=negative. Default: positive/negative, pos/neg, 1/0.")
    String labelMap;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate at most the first N examples.")
    Integer limit;

    @Option(names = "--sample", paramLabel = "N", description = "Evaluate a random sample of N examples (see --seed).")
    Integer sample;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of --sample. Default: ${DEFAULT-VALUE}.")
    long sampleSeed;

    @Option(names = "--skip-bad", description = "Report malformed lines and continue, instead of stopping.")
    boolean skipBad;

    @Option(names = "--train", paramLabel = "FILE",
            description = "Draw demonstrations from this train split (same format options) instead of the demo pool.")
    Path train;

    @Option(names = "--template", paramLabel = "NAME|FILE",
            description = "Prompt template: a built-in name (seed-notebook, seed-movie-review, review-sentiment,"
                    + " review-answer, overthinking-sst2-1 … -14) or a .template file. Default: "
                    + TemplateLibrary.DEFAULT_NAME + ".")
    String template;

    @Option(names = "--templates", split = ",", paramLabel = "NAME|FILE",
            description = "Several templates, comma-separated (overthinking-sst2 = the paper's 15 SST-2 formats):"
                    + " each is reported, and their mean.")
    List<String> templates;

    @Option(names = "--shots", defaultValue = "0,4", split = ",", paramLabel = "K",
            description = "Demonstration counts, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> shots;

    @Option(names = "--demo-labels", defaultValue = "correct,flipped", split = ",", paramLabel = "MODE",
            description = "correct, flipped and/or random. Default: ${DEFAULT-VALUE}.")
    List<String> demoLabels;

    @Option(names = "--demo-order", defaultValue = "alternating", paramLabel = "alternating|shuffled",
            description = "Order of the demonstrations. Default: ${DEFAULT-VALUE}.")
    String demoOrder;

    @Option(names = "--demo-pool", paramLabel = "FILE",
            description = "Labelled reviews for demonstrations (LABEL<TAB>REVIEW per line). Default: the built-in pool.")
    Path demoPool;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Demonstration seeds 0..N-1 per setting; results give mean and spread. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--method", defaultValue = "next-token", paramLabel = "next-token|loss",
            description = "How each layer classifies. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--loss-span", paramLabel = "whole|review",
            description = "With --method loss, the tokens scored: whole = every predicted token of the class prompt"
                    + " (the default), review = the review's tokens only.")
    String lossSpan;

    @Option(names = "--calibrate", description = "Also report accuracy after contextual calibration (next-token).")
    boolean calibrate;

    @Option(names = "--lens", split = ",", paramLabel = "logit|classifier|tuned:NAME|PATH",
            description = "The lenses every layer is read through, repeated or comma-separated (default: logit): each"
                    + " gives its own conditions, accuracy per layer and critical layer (a 'lens' key in summary.json, a"
                    + " lens column in examples.csv, a line per lens in the plots). 'classifier' reads the model's score"
                    + " head on the review alone: one zero-shot condition per template, whatever --shots says.")
    List<String> lens;

    @Option(names = "--margin", defaultValue = "0.1", paramLabel = "DELTA",
            description = "Overthinking margin. Default: ${DEFAULT-VALUE}.")
    double margin;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for summary.json, examples.csv"
            + " and plots (created).")
    Path out;

    @Option(names = "--resume", description = "Continue a stopped run in --out (same options), without redoing"
            + " finished examples.")
    boolean resume;

    @Option(names = "--batch", paramLabel = "N", description = "Examples run side by side through the model after the"
            + " shared demonstrations (default: " + EvalPlan.DEFAULT_BATCH + "; 1 = one at a time). Larger batches"
            + " run nearer the machine's matmul peak and hold more memory.")
    int batch = EvalPlan.DEFAULT_BATCH;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run shard I of N only (counted from 0: 0/4 … 3/4), into its own --out; the same slice every time"
                    + " for the same options and dataset, balanced by estimated cost (tokens × model size). Merge the"
                    + " shards with eval-merge. Without --shard, a SLURM array task (SLURM_ARRAY_TASK_ID, counted from the"
                    + " array's first index) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count) picks it;"
                    + " --shard 0/1 runs everything, inside an array task too.")
    String shard;

    @Option(names = "--shard-count", paramLabel = "N",
            description = "The number of shards when the index comes from JOB_COMPLETION_INDEX (the Job's completions).")
    Integer shardCount;

    @Option(names = "--from-manifest", paramLabel = "FILE",
            description = "Run again exactly the run recorded in a run folder's manifest.json (its options, dataset,"
                    + " models and shard; refused if the program or a model has changed since). Give --out, and"
                    + " optionally --batch or --resume.")
    Path fromManifest;

    @Option(names = "--block", hidden = true, paramLabel = "N",
            description = "Examples per block (rounded up to whole --batch passes; default 64): the unit a shard"
                    + " takes and that starts from an empty KV cache. For tests of small datasets.")
    Integer block;

    /** The environment the scheduler's variables are read from (tests replace it). */
    Map<String, String> environment = System.getenv();

    @Option(names = "--no-prefix-reuse", hidden = true,
            description = "Defeat the KV cache's demonstration-prefix reuse (to measure what it is worth).")
    boolean noPrefixReuse;

    @Override
    public Integer call() throws Exception {
        try {
            return evaluate();
        } catch (EvalException e) {
            throw new UserException(e.message(EvalWords.OPTIONS));
        }
    }

    private int evaluate() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Everything the user typed is checked before a model is found or loaded.
        if (batch < 1) {
            throw new UserException("--batch must be at least 1 (1 runs one review at a time), got " + batch + ".");
        }
        if (fromManifest != null) {
            ManifestOptions.apply(fromManifest, this);
        }
        if (models == null || models.isEmpty() || dataset == null) {
            throw new UserException("Give --models and --dataset (or --from-manifest with a run's manifest.json).");
        }
        ShardSelection selection = ShardSelection.resolve(shard, shardCount, environment);
        EvalJob job = EvalJob.prepare(request(), selection.shard(), block);
        job.dataset().skipped().forEach(s -> err.println("skipped " + s));
        err.printf(Locale.ROOT, "%d examples from %s (%s), %d demonstrations to draw from%n", job.examples().size(),
                dataset, job.format().key(), job.pool().size());

        List<ModelRef> refs = locate();
        if (fromManifest != null) {
            ManifestOptions.requireSameProvenance(fromManifest, job, refs);
        }
        ShardPlan plan = job.shardPlan(refs);
        if (plan != null) {
            double[] costs = plan.costs();
            double total = java.util.Arrays.stream(costs).sum();
            err.printf(Locale.ROOT, "shard %s (%s): %d of %d blocks of up to %d examples, %.1f%% of the estimated work%n",
                    job.shard().spec(), selection.source(), plan.units(job.shard()).size(), plan.units().size(),
                    plan.block(), total > 0 ? 100 * costs[job.shard().index()] / total : 0.0);
        }
        EvalSummary summary;
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: ask the run to stop at the next block (the batch in progress is redone by --resume), and hold
            // the JVM until it has written everything.
            stopRequested.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eval-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (Progress progress = new Progress(err, Terminal.stderrIsTerminal())) {
                summary = job.run(refs, progress, stopRequested::get, null);
                progress.close();
                if (plan == null) {
                    writePlots(summary, job.datasetName(), err);
                }
            }
            if (plan != null) {
                err.println("wrote shard " + job.shard().spec() + " to " + out + (summary.complete()
                        ? "; when every shard is done: logitscope eval-merge SHARD_DIR... --out DIR"
                        : "; stopped before the end: continue with the same command and --resume"));
                return summary.complete() ? 0 : STOPPED;
            }
            PrintWriter stdout = spec.commandLine().getOut();
            EvalTable.print(stdout, summary);
            stdout.flush();
            err.println("wrote " + out.resolve(RunFolder.SUMMARY) + ", " + out.resolve(RunFolder.EXAMPLES) + " and plots");
            if (!summary.complete()) {
                err.println("stopped before the end: continue with the same command and --resume");
                return STOPPED;
            }
            return 0;
        } finally {
            err.flush();
            // Released only now: on Ctrl-C the JVM exits as soon as the hook returns.
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and now returns
            }
        }
    }

    /** The options as the shared job takes them. */
    private EvalRequest request() throws UserException {
        if (template != null && templates != null) {
            throw new UserException("Give either --template (one) or --templates (several), not both.");
        }
        List<String> chosen = templates != null ? templates : template != null ? List.of(template) : List.of();
        return new EvalRequest(models, dataset, format, textCol, labelCol, labelMap, limit, sample, sampleSeed, skipBad,
                train, demoPool, chosen, shots, demoLabels, demoOrder, seeds, method, calibrate, margin, out, resume,
                noPrefixReuse, batch, lossSpan, lensChoices());
    }

    /** The lenses --lens names, each once (a published lens fetched into the cache first); empty: the logit lens. */
    private List<dev.logitscope.lens.LensChoice> lensChoices() throws UserException {
        List<dev.logitscope.lens.LensChoice> out = new ArrayList<>();
        for (String one : lens == null ? List.<String>of() : lens) {
            String t = one.strip();
            if (t.isEmpty()) {
                throw new UserException("--lens has an empty entry: give logit, classifier, tuned:NAME or a folder,"
                        + " comma-separated.");
            }
            dev.logitscope.lens.LensChoice choice;
            if (dev.logitscope.hub.TunedLensHub.isHubName(t)) {
                try {
                    choice = dev.logitscope.lens.LensChoice.folder(LensDownload.fetch(
                            t.substring(dev.logitscope.hub.TunedLensHub.PREFIX.length()), HubSettings.fromSystem(),
                            spec.commandLine().getErr()));
                } catch (dev.logitscope.hub.HubException e) {
                    throw new UserException(e.getMessage());
                }
            } else {
                choice = dev.logitscope.lens.LensChoice.parse(t);
            }
            if (!out.contains(choice)) {
                out.add(choice);
            }
        }
        return out;
    }

    /** Finds every model first (downloading if needed), so a typo in the last fails before hours of work. */
    private List<ModelRef> locate() throws Exception {
        List<ModelRef> refs = new ArrayList<>();
        ModelLocator locator = new ModelLocator(new HubClient(HubSettings.fromSystem()));
        for (String model : models) {
            try (ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr())) {
                DownloadListener listener = progress::update;
                ModelSource source = locator.locate(model.strip(), listener, () -> false);
                refs.add(new ModelRef(model.strip(), source.folder()));
            }
        }
        return refs;
    }

    private void writePlots(EvalSummary summary, String datasetName, PrintWriter err) {
        if (summary.conditions().isEmpty()) {
            return;
        }
        try {
            EvalPlots.write(summary, out, datasetName, Provenance.pictureText(out));
        } catch (IOException | RuntimeException e) {
            // the numbers are written; a plot failure must not hide them
            err.println("warning: could not write the plots: " + e.getMessage());
        }
    }

    /**
     * Progress on stderr: on a terminal a bar with rate and time left (warnings go above it); in a
     * pipe or a log, one line per whole percent with the condition in progress.
     */
    private static final class Progress implements EvalListener, AutoCloseable {
        private final PrintWriter err;
        private final boolean terminal;
        private ProgressBar bar;
        private PercentLines lines;
        private long total;
        private long done;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void started(long total, long done) {
            this.total = total;
            this.done = done;
            if (!terminal) {
                lines = new PercentLines(err, "eval");
                return;
            }
            bar = new ProgressBarBuilder().setTaskName("eval").setInitialMax(total).startsFrom(done, Duration.ZERO)
                    .setUnit(" ex", 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        @Override
        public void loading(String model) {
            if (bar != null) {
                bar.setExtraMessage("loading " + model);
            } else if (!terminal) {
                err.println("eval: loading " + model);
                err.flush();
            }
        }

        @Override
        public void step(Condition condition, String exampleId) {
            String now = condition.model() + " " + condition.setting() + " seed " + condition.seed();
            if (bar != null) {
                bar.setExtraMessage(now);
                bar.step();
            } else if (lines != null) {
                done++;
                lines.update(done, total, done + "/" + total + " examples", now);
            }
        }

        @Override
        public void warning(String message) {
            err.println("warning: " + message);
            err.flush();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}

package dev.logitscope.cli;

import dev.logitscope.eval.LensFitException;
import dev.logitscope.eval.LensFitJob;
import dev.logitscope.eval.LensFitRequest;
import dev.logitscope.eval.LensFitText;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.lens.AffineLensFit;
import dev.logitscope.lens.AffineLensFolder;
import dev.logitscope.lens.FitProgress;
import dev.logitscope.lens.KlDescentSettings;
import dev.logitscope.lens.LayerFit;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fit-lens}: an affine lens fitted by least squares on a text file or dataset, saved as a
 * folder {@code inspect --lens} reads. Written into a hidden sibling folder and moved into place
 * at the end, so Ctrl-C or a failure never leaves a half-written lens.
 */
@Command(name = "fit-lens", mixinStandardHelpOptions = true,
        description = {"Fit an affine lens by least squares: per layer, a ridge regression of the last layer's residual on"
                + " that layer's over the tokens of a text file or dataset, read like a tuned lens (h + W·h + b, then the"
                + " model's final norm and unembedding). Not a tuned lens (not trained on its recipe). Saved as params.safetensors +"
                + " config.json (model, data, ridge, fit quality per layer); use it with inspect --lens DIR."
                + " --refine-steps N then refines it by a short descent on the tuned-lens KL loss.",
                "Ctrl-C stops cleanly and writes nothing."})
final class FitLensCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "The text to fit on: a dataset (SST-2, GLUE, IMDB, CSV, TSV, JSONL: each example's text) or a"
                    + " plain UTF-8 text file (.txt, cut into windows of 256 tokens).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The lens folder to write (new or empty).")
    Path out;

    @Option(names = "--max-tokens", defaultValue = "" + LensFitRequest.DEFAULT_MAX_TOKENS, paramLabel = "N",
            description = "Use at most N tokens of the data, held-out ones included (default: ${DEFAULT-VALUE}).")
    long maxTokens;

    @Option(names = "--ridge", defaultValue = "" + LensFitRequest.DEFAULT_RIDGE, paramLabel = "λ",
            description = "Ridge penalty relative to the mean variance per dimension of each layer (default: ${DEFAULT-VALUE}).")
    double ridge;

    @Option(names = "--held-out", defaultValue = "" + LensFitRequest.DEFAULT_HELD_OUT, paramLabel = "FRACTION",
            description = "Share of the documents kept out of the fit to measure it: R² and KL to the final layer of the"
                    + " plain and the fitted lens (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--refine-steps", defaultValue = "0", paramLabel = "N",
            description = "Then refine the translators by N updates of a descent on the tuned-lens loss, KL(final ‖ layer)"
                    + " averaged over tokens, from the least-squares start (AdamW; one update per pass of about "
                    + "512 training tokens; held-out KL before and after in config.json). Default: ${DEFAULT-VALUE} (off).")
    int refineSteps;

    @Option(names = "--refine-lr", defaultValue = "" + KlDescentSettings.DEFAULT_LEARNING_RATE, paramLabel = "LR",
            description = "Peak learning rate of the refinement, after a warm-up over a fifth of the steps, decaying"
                    + " linearly to 0 (default: ${DEFAULT-VALUE}; tuned-lens's 1e-3 is for a start from zero).")
    double refineLr;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        LensFitRequest request = new LensFitRequest(data, out, maxTokens, ridge, heldOut, refineSteps, refineLr);
        Path staging;
        try {
            staging = LensFitJob.stage(request); // fails now, before the model loads, when --out cannot be written
        } catch (LensFitException e) {
            throw new UserException(e.getMessage());
        }
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: ask the fit to stop at the next block, and hold the JVM until the staging folder is gone.
            stopRequested.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fit-lens-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ModelSource source = modelOptions.locate();
            try (LensEngine engine = LensEngine.open(source.folder(), source.name())) {
                LensFitText text = LensFitJob.read(engine, request);
                err.printf(Locale.ROOT, "%s: %d documents (%s), %d tokens to fit on, %d held out%s%n", data,
                        text.documents(), text.format(), text.data().trainTokens(), text.data().heldOutTokens(),
                        text.truncated() ? " (stopped at --max-tokens " + maxTokens + ")" : "");
                err.flush();
                LensFitJob.Outcome outcome;
                try (Progress progress = new Progress(err, Terminal.stderrIsTerminal())) {
                    outcome = Cancellation.callWith(stopRequested::get, () -> LensFitJob.fit(engine,
                            new ModelRef(source.name(), source.folder()), request, text, staging, progress::update));
                }
                AffineLensFit fit = outcome.fit();
                print(spec.commandLine().getOut(), fit);
                err.printf(Locale.ROOT, "wrote %s (%s, %.1f s, %.0f tokens/s); read with: inspect --lens %s%n", out,
                        fit.refined() ? AffineLensFolder.NAME_REFINED : AffineLensFolder.NAME,
                        fit.fitSeconds() + fit.heldOutSeconds() + (fit.refined() ? fit.refinement().seconds() : 0),
                        fit.tokensPerSecond(), out);
                return 0;
            } catch (RunCancelledException e) {
                err.println("stopped: nothing was written to " + out);
                return EvalCommand.STOPPED;
            } catch (LensFitException e) {
                throw new UserException(e.getMessage());
            }
        } finally {
            LensFitJob.discard(staging);
            err.flush();
            finished.countDown(); // released only now: on Ctrl-C the JVM exits as soon as the hook returns
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and now returns
            }
        }
    }

    private static void print(PrintWriter out, AffineLensFit fit) {
        out.println("layer     r2_identity  r2_affine  kl_logit_lens  kl_affine_lens" + (fit.refined() ? "  kl_refined" : ""));
        for (LayerFit q : fit.quality()) {
            out.printf(Locale.ROOT, "%-8s  %11.4f  %9.4f  %13.4f  %14.4f", TapPoint.afterBlock(q.layer()).name(),
                    q.r2Identity(), q.r2(), q.klLogitLens(), q.klAffineLens());
            if (fit.refined()) {
                out.printf(Locale.ROOT, "  %10.4f", fit.refinement().layers().get(q.layer()).klAfter());
            }
            out.println();
        }
        out.flush();
    }

    /**
     * Progress on stderr as eval prints it: on a terminal a bar (per mille of the estimated work,
     * with elapsed and remaining time) with the phase and tokens; in a pipe or a log, one line per
     * whole percent with the time left.
     */
    private static final class Progress implements AutoCloseable {
        private final PrintWriter err;
        private final boolean terminal;
        private me.tongfei.progressbar.ProgressBar bar;
        private PercentLines lines;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void update(FitProgress p) {
            String tokens = p.tokensDone() + "/" + p.tokensTotal() + " tokens";
            String left = Double.isNaN(p.secondsLeft()) ? "" : ", " + duration(p.secondsLeft()) + " left";
            if (!terminal) {
                if (lines == null) {
                    lines = new PercentLines(err, "fit-lens");
                }
                lines.update(Math.round(p.fraction() * 1000), 1000, tokens, p.phase() + left);
                return;
            }
            if (bar == null) {
                bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("fit-lens").setInitialMax(1000)
                        .setUnit("‰", 1).setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            }
            bar.setExtraMessage(p.phase() + " " + tokens); // the bar shows the time left itself
            bar.stepTo(Math.round(p.fraction() * 1000));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

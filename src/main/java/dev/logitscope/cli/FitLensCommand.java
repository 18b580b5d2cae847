package dev.logitscope.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.logitscope.eval.FileHashes;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.eval.ProgramVersion;
import dev.logitscope.eval.Provenance;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.lens.AffineLensFit;
import dev.logitscope.lens.AffineLensFolder;
import dev.logitscope.lens.FitProgress;
import dev.logitscope.lens.LayerFit;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
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
                + " model's final norm and unembedding). Not a tuned lens: no KL training. Saved as params.safetensors +"
                + " config.json (model, data, ridge, fit quality per layer); use it with inspect --lens DIR.",
                "Ctrl-C stops cleanly and writes nothing."})
final class FitLensCommand implements Callable<Integer> {
    static final long DEFAULT_MAX_TOKENS = 100_000;
    /** Relative to the mean variance per dimension (see AffineLensFolder's ridge_definition). */
    static final String DEFAULT_RIDGE = "1e-3";

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

    @Option(names = "--max-tokens", defaultValue = "" + DEFAULT_MAX_TOKENS, paramLabel = "N",
            description = "Use at most N tokens of the data, held-out ones included (default: ${DEFAULT-VALUE}).")
    long maxTokens;

    @Option(names = "--ridge", defaultValue = DEFAULT_RIDGE, paramLabel = "λ",
            description = "Ridge penalty relative to the mean variance per dimension of each layer (default: ${DEFAULT-VALUE}).")
    double ridge;

    @Option(names = "--held-out", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Share of the documents kept out of the fit to measure it: R² and KL to the final layer of the"
                    + " plain and the fitted lens (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 2) {
            throw new UserException("--max-tokens must be at least 2.");
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new UserException("--ridge must be 0 or more (e.g. 1e-3), not " + ridge + ".");
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new UserException("--held-out must be a fraction between 0 and 1 (e.g. 0.1), not " + heldOut + ".");
        }
        if (!Files.isRegularFile(data) && !Files.isDirectory(data)) {
            throw new UserException("No data file at " + data + ": give a text file or a dataset (e.g. stsa.binary.train).");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
            throw new UserException(out + " exists and is not an empty folder; choose another --out.");
        }
        Path staging = staging(target); // fails now, before the model loads, when --out cannot be written
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
                int context = engine.info().shape().nPositions();
                FitLensData text = FitLensData.read(data, engine.tokenizer(), context, maxTokens, heldOut);
                err.printf(Locale.ROOT, "%s: %d documents (%s), %d tokens to fit on, %d held out%s%n", data,
                        text.documents(), text.format(), text.data().trainTokens(), text.data().heldOutTokens(),
                        text.truncated() ? " (stopped at --max-tokens " + maxTokens + ")" : "");
                err.flush();
                AffineLensFit fit;
                try (Progress progress = new Progress(err, Terminal.stderrIsTerminal())) {
                    fit = Cancellation.callWith(stopRequested::get,
                            () -> engine.fitAffineLens(text.data(), ridge, progress::update));
                }
                AffineLensFolder.write(staging, fit, records(source, text));
                try { // the staging folder was made private (0700); the lens is shared like any folder (0755)
                    Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: its defaults apply
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                print(spec.commandLine().getOut(), fit);
                err.printf(Locale.ROOT, "wrote %s (%s, %.1f s, %.0f tokens/s); read with: inspect --lens %s%n", out,
                        AffineLensFolder.NAME, fit.fitSeconds() + fit.heldOutSeconds(), fit.tokensPerSecond(), out);
                return 0;
            } catch (RunCancelledException e) {
                err.println("stopped: nothing was written to " + out);
                return EvalCommand.STOPPED;
            } catch (IOException e) {
                throw new UserException("Cannot write " + out + ": " + e.getMessage());
            }
        } finally {
            deleteQuietly(staging);
            err.flush();
            finished.countDown(); // released only now: on Ctrl-C the JVM exits as soon as the hook returns
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and now returns
            }
        }
    }

    /** A new hidden folder beside {@code target}, on the same file system so the final move is atomic. */
    private Path staging(Path target) throws UserException {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        } catch (AccessDeniedException e) {
            throw new UserException("Cannot write to " + parent + " (permission denied); choose another --out.");
        } catch (FileSystemException e) {
            throw new UserException("Cannot write to " + parent + " (" + e.getReason() + "); choose another --out.");
        } catch (IOException e) {
            throw new UserException("Cannot write to " + parent + ": " + e.getMessage() + "; choose another --out.");
        }
    }

    /** config.json's record of where the lens came from: the model (hub revision or file hashes), the data, the program. */
    private Map<String, JsonElement> records(ModelSource source, FitLensData text) throws IOException {
        Map<String, JsonElement> records = new LinkedHashMap<>();
        records.put("model", Provenance.model(new ModelRef(source.name(), source.folder()), FileHashes.user()));
        JsonObject d = new JsonObject();
        d.addProperty("path", data.toAbsolutePath().normalize().toString());
        if (Files.isRegularFile(data)) {
            d.addProperty("sha256", FileHashes.hash(data));
        }
        d.addProperty("format", text.format());
        d.addProperty("documents", text.documents());
        d.addProperty("max_tokens", maxTokens);
        d.addProperty("stopped_at_max_tokens", text.truncated());
        d.addProperty("held_out_fraction", heldOut);
        d.addProperty("held_out_rule", "document k (from 0, in file order) is held out when floor((k+1)·f) > floor(k·f)");
        if (text.format().equals("text")) {
            d.addProperty("window_tokens", FitLensData.TEXT_WINDOW);
        }
        records.put("data", d);
        ProgramVersion program = ProgramVersion.current();
        JsonObject p = new JsonObject();
        p.addProperty("name", "logitscope");
        p.addProperty("version", program.version());
        p.addProperty("commit", program.commit());
        p.addProperty("dirty", program.dirty());
        records.put("program", p);
        return records;
    }

    private static void print(PrintWriter out, AffineLensFit fit) {
        out.println("layer     r2_identity  r2_affine  kl_logit_lens  kl_affine_lens");
        for (LayerFit q : fit.quality()) {
            out.printf(Locale.ROOT, "%-8s  %11.4f  %9.4f  %13.4f  %14.4f%n", TapPoint.afterBlock(q.layer()).name(),
                    q.r2Identity(), q.r2(), q.klLogitLens(), q.klAffineLens());
        }
        out.flush();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a hidden leftover beside --out, never --out itself
                }
            });
        } catch (IOException e) {
            // as above
        }
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

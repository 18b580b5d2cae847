package dev.logitscope.cli;

import dev.logitscope.finetune.FineTuneJob;
import dev.logitscope.finetune.FineTuneSpec;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.FineTuneException;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.TrainingListener;
import dev.logitscope.train.TrainingOutcome;
import dev.logitscope.train.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code finetune}: trains a classification head (and the last blocks), or the LM, on a labelled dataset. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a GPT-2, GPT-Neo or OPT model as a sentiment classifier (transformers'"
                + " GPT2/GPTNeo/OPTForSequenceClassification: a score head on the last token's final-norm output, cross-entropy),"
                + " or with --objective lm as a causal LM on formatted reviews (GPT2LMHeadModel, GPTNeoForCausalLM,"
                + " OPTForCausalLM), and save it as a"
                + " Hugging Face folder that inspect, eval and the app read, with training.json (data, recipe, seed, per-epoch metrics).",
                "Ctrl-C stops at the next batch and keeps the last complete epoch's checkpoint; --resume continues."})
final class FinetuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR|HUB_ID", description = "The model to start from (a folder or a hub id).")
    String model;

    @Option(names = "--random-init", paramLabel = "SHAPE",
            description = "Start from random weights instead: tiny (2 blocks of width 64, GPT-2's vocabulary) or gpt2 (GPT-2"
                    + " small's shape, to measure speed and memory). Needs --tokenizer.")
    String randomInit;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "The folder of tokenizer.json, with --random-init.")
    Path tokenizer;

    @Option(names = "--train", paramLabel = "FILE", description = "Training data (SST-2, GLUE, CSV, TSV, JSONL: as eval reads them).")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", description = "Dev data: accuracy and loss after every epoch.")
    Path dev;

    @Option(names = "--objective", defaultValue = "classifier", paramLabel = "classifier|lm",
            description = "What to train: classifier (a score head, GPT2ForSequenceClassification) or lm (next-token loss on"
                    + " the reviews formatted with --template: GPT2LMHeadModel, GPTNeoForCausalLM, OPTForCausalLM)."
                    + " Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "With --objective lm: each example's text, {review} then {label} (the class name; \\n is a line"
                    + " break). Default: the seed's \"Text: {review}\\nSentiment: {label}\".")
    String template;

    @Option(names = "--block-size", paramLabel = "N|row",
            description = "With --objective lm: concatenate the examples and cut blocks of N tokens (transformers' run_clm;"
                    + " default 128, the seed's), or row: one example per sequence.")
    String blockSize;

    @Option(names = "--loss-on", paramLabel = "all|label",
            description = "With --objective lm: predict every token (default, as run_clm) or only the label word's.")
    String lossOn;

    @Option(names = "--trainable-blocks", paramLabel = "N|all",
            description = "Train the last N blocks (OPT: decoder layers) with the final norm and the head (OPT: final_layer_norm,"
                    + " project_out, score); all trains everything."
                    + " Default: 2 (the seed's classifier recipe); all with --random-init or --objective lm (the seed's LM run).")
    String trainableBlocks;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "16", description = "Examples per optimizer step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate of AdamW (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW's decoupled weight decay on matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Share of the steps that warm the learning rate up (default: ${DEFAULT-VALUE}).")
    double warmupRatio;

    @Option(names = "--clip-norm", defaultValue = "1.0", description = "Clip the gradients' global L2 norm to this (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Dropout probability at every site in training passes (0 turns it off). Default: the model"
                    + " config's, as transformers trains (GPT-2: embd_pdrop, attn_pdrop, resid_pdrop, 0.1; GPT-Neo:"
                    + " embed_dropout, attention_dropout, resid_dropout; OPT: dropout, attention_dropout).")
    Double dropout;

    @Option(names = "--seed", defaultValue = "42", description = "Shuffling and new weights; the same seed repeats a run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the fine-tuned model goes.")
    Path out;

    @Option(names = "--resume", description = "Continue the stopped run in --out from its last complete epoch"
            + " (its model, data and recipe are those of --out/training.json).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        FineTuneJob job;
        try {
            job = FineTuneJob.prepare(spec());
        } catch (FineTuneException e) {
            throw new UserException(e.getMessage());
        }
        if (job.finished()) {
            err.println(out + " has finished all " + job.recipe().epochs() + " epochs; nothing to resume.");
            return 0;
        }
        Path modelFolder = null;
        String baseName = null;
        if (job.modelToFind() != null) {
            ModelOptions options = new ModelOptions();
            options.model = job.modelToFind();
            ModelSource source = options.locate(err);
            modelFolder = source.folder();
            baseName = source.name();
        }
        Path folder = modelFolder;
        String name = baseName;
        return run(err, stop -> job.run(folder, name, err::println, stop::getAsBoolean, listener(err)));
    }

    /** The options as the shared job's input; which were given, so a resume can refuse them. */
    private FineTuneSpec spec() {
        Set<FineTuneInput> given = EnumSet.noneOf(FineTuneInput.class);
        for (FineTuneInput input : FineTuneInput.values()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(input.option())) {
                given.add(input);
            }
        }
        return new FineTuneSpec(model, randomInit, tokenizer, train, dev, objective, template, blockSize, lossOn,
                trainableBlocks, epochs, batch, lr, weightDecay, warmupRatio, clipNorm, seed, out, resume, given, dropout);
    }

    @FunctionalInterface
    private interface Training {
        TrainingOutcome run(java.util.function.BooleanSupplier stop) throws Exception;
    }

    /** Runs the training with Ctrl-C asking it to stop at the next batch; prints the epochs on stdout. */
    private int run(PrintWriter err, Training training) throws Exception {
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS); // hold the JVM until the run has returned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "finetune-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingOutcome outcome = training.run(stopRequested::get);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println("epoch  train_loss  dev_accuracy  dev_loss  seconds  examples/s  resident_MB  batch_MB");
            for (EpochMetrics m : outcome.state().epochs()) {
                stdout.printf(Locale.ROOT, "%5d  %10.4f  %12s  %8s  %7.1f  %10.1f  %11d  %8d%n", m.epoch(), m.trainLoss(),
                        Double.isNaN(m.devAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", m.devAccuracy()),
                        Double.isNaN(m.devLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", m.devLoss()), m.seconds(),
                        m.examplesPerSecond(), m.residentMb(), m.batchMb());
            }
            stdout.flush();
            if (outcome.stopped()) {
                err.println(outcome.state().completedEpochs() == 0
                        ? "stopped before the first epoch ended: nothing was saved"
                        : "stopped; " + out + " holds epoch " + outcome.state().completedEpochs()
                                + ": continue with --out " + out + " --resume");
                return EvalCommand.STOPPED;
            }
            err.println("wrote " + out);
            return 0;
        } catch (FineTuneException e) {
            throw new UserException(e.getMessage());
        } finally {
            err.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and now returns
            }
        }
    }

    /** Progress on stderr: one line per ~5 % of an epoch (a pipe) or one rewritten line (a terminal). */
    private static TrainingListener listener(PrintWriter err) {
        boolean terminal = Terminal.stderrIsTerminal();
        return new TrainingListener() {
            private long lastPrinted;

            @Override
            public void onProgress(TrainingProgress p) {
                long now = System.nanoTime();
                boolean end = p.batch() == p.batches();
                int every = Math.max(1, p.batches() / 20);
                if (terminal ? now - lastPrinted < 250_000_000L && !end : p.batch() % every != 0 && !end) {
                    return;
                }
                lastPrinted = now;
                String line = String.format(Locale.ROOT, "epoch %d/%d  batch %d/%d  loss %.4f  %.1f examples/s  %s left",
                        p.epoch(), p.epochs(), p.batch(), p.batches(), p.meanLoss(), p.examplesPerSecond(),
                        duration(p.secondsLeft()));
                if (terminal) {
                    err.print("\r" + line + "   ");
                    if (end) {
                        err.println();
                    }
                } else {
                    err.println(line);
                }
                err.flush();
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                err.printf(Locale.ROOT, "epoch %d: train loss %.4f%s, %.1f s, %.1f examples/s, resident %d MB"
                        + " (+%d MB at the peak of a batch, peak %d MB; JVM heap %d MB), %d live native arrays%n", m.epoch(),
                        m.trainLoss(), Double.isNaN(m.devAccuracy()) ? ""
                                : String.format(Locale.ROOT, ", dev accuracy %.4f (loss %.4f)", m.devAccuracy(), m.devLoss()),
                        m.seconds(), m.examplesPerSecond(), m.residentMb(), m.batchMb(), m.peakMb(), m.heapMb(), m.liveArrays());
                err.flush();
            }
        };
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

}

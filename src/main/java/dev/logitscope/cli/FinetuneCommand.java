package dev.logitscope.cli;

import dev.logitscope.eval.Dataset;
import dev.logitscope.eval.DatasetReader;
import dev.logitscope.eval.DatasetSpec;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.Example;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenizerFiles;
import dev.logitscope.train.ClassifierObjective;
import dev.logitscope.train.DataSummary;
import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.Examples;
import dev.logitscope.train.FineTuneFolder;
import dev.logitscope.train.FineTuneRun;
import dev.logitscope.train.LmData;
import dev.logitscope.train.LmFormat;
import dev.logitscope.train.LmObjective;
import dev.logitscope.train.TrainingListener;
import dev.logitscope.train.TrainingOutcome;
import dev.logitscope.train.TrainingProgress;
import dev.logitscope.train.TrainingRecipe;
import dev.logitscope.train.TrainingRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
                + " or a GPT-2 with --objective lm as a causal LM on formatted reviews (GPT2LMHeadModel), and save it as a"
                + " Hugging Face folder that inspect, eval and the app read, with training.json (data, recipe, seed, per-epoch metrics).",
                "Ctrl-C stops at the next batch and keeps the last complete epoch's checkpoint; --resume continues."})
final class FinetuneCommand implements Callable<Integer> {
    /** SST-2's classes in its order (0 = negative, 1 = positive), the head's rows. */
    static final List<String> LABELS = List.of("negative", "positive");

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR|HUB_ID", description = "The model to start from (a folder or a hub id).")
    String model;

    @Option(names = "--random-init", paramLabel = "SHAPE",
            description = "Start from random weights instead: tiny (2 blocks of width 64, GPT-2's vocabulary). Needs --tokenizer.")
    String randomInit;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "The folder of tokenizer.json, with --random-init.")
    Path tokenizer;

    @Option(names = "--train", paramLabel = "FILE", description = "Training data (SST-2, GLUE, CSV, TSV, JSONL: as eval reads them).")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", description = "Dev data: accuracy and loss after every epoch.")
    Path dev;

    @Option(names = "--objective", defaultValue = "classifier", paramLabel = "classifier|lm",
            description = "What to train: classifier (a score head, GPT2ForSequenceClassification) or lm (next-token loss on"
                    + " the reviews formatted with --template, GPT2LMHeadModel). Default: ${DEFAULT-VALUE}.")
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
        if (!objective.equals("classifier") && !objective.equals("lm")) {
            throw new UserException("--objective takes classifier or lm, not '" + objective + "'.");
        }
        FineTuneFolder.recover(out);
        if (resume) {
            return resume(err);
        }
        if (FineTuneRun.hasCheckpoint(out)) {
            throw new UserException(out + " already holds a fine-tuning run; continue it with --resume, or choose another --out.");
        }
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new UserException(out + " exists and is not an empty folder; choose another --out.");
        }
        if ((model == null) == (randomInit == null)) {
            throw new UserException("Give either --model (a model to fine-tune) or --random-init tiny (train from scratch).");
        }
        if (train == null) {
            throw new UserException("Give the training data with --train FILE.");
        }
        TrainingRecipe recipe = recipe();
        LmFormat lm = lmFormat();
        Path modelFolder = null;
        String baseName;
        Path tokenizerFolder;
        if (randomInit != null) {
            FineTuneRun.randomInitShape(randomInit); // a wrong name fails before the data is read
            if (tokenizer == null || !Files.isRegularFile(tokenizer.resolve(ModelFolder.TOKENIZER))) {
                throw new UserException("--random-init needs --tokenizer DIR, a folder with tokenizer.json (GPT-2's).");
            }
            tokenizerFolder = tokenizer;
            baseName = "random-init " + randomInit;
        } else {
            ModelOptions options = new ModelOptions();
            options.model = model;
            ModelSource source = options.locate(err);
            modelFolder = new ModelFolder(source.folder()).requireFiles(true).dir();
            if (lm != null) {
                com.google.gson.JsonElement type = new ModelFolder(modelFolder).configJson().get("model_type");
                if (type == null || !type.isJsonPrimitive() || !type.getAsString().equals("gpt2")) {
                    throw new UserException("--objective lm fine-tunes GPT-2 models only; " + source.name() + " is "
                            + (type == null ? "not a GPT-2" : type.getAsString()) + ". Use --objective classifier.");
                }
            }
            tokenizerFolder = modelFolder;
            baseName = source.name();
        }
        FineTuneRun.Request request = request(modelFolder, baseName, tokenizerFolder, train, dev, recipe, lm, err);
        return run(err, stop -> FineTuneRun.start(request, stop, listener(err)));
    }

    private int resume(PrintWriter err) throws Exception {
        if (!FineTuneRun.hasCheckpoint(out)) {
            throw new UserException(out + " holds no fine-tuning run to resume (no " + FineTuneFolder.RECORD
                    + "); start one without --resume.");
        }
        for (String option : List.of("--model", "--random-init", "--train", "--dev", "--trainable-blocks", "--epochs",
                "--batch", "--lr", "--weight-decay", "--warmup-ratio", "--clip-norm", "--seed", "--tokenizer", "--objective",
                "--template", "--block-size", "--loss-on")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UserException("--resume continues " + out + " as " + FineTuneFolder.RECORD
                        + " describes it; leave out " + option + ".");
            }
        }
        TrainingRecord record = FineTuneFolder.readRecord(out);
        if (record.finished()) {
            err.println(out + " has finished all " + record.recipe().epochs() + " epochs; nothing to resume.");
            return 0;
        }
        Path devPath = record.dev() == null ? null : Path.of(record.dev().path());
        FineTuneRun.Request request = request(null, record.baseModel(), out, Path.of(record.train().path()), devPath,
                record.recipe(), record.lm(), err);
        if (request.train().size() != record.train().examples() || request.trainData().tokens() != record.train().tokens()) {
            throw new UserException(record.train().path() + " is not the data the run in " + out
                    + " was trained on (it changed since); start a new run.");
        }
        err.printf(Locale.ROOT, "resuming %s after epoch %d of %d%n", out, record.state().completedEpochs(),
                record.recipe().epochs());
        return run(err, stop -> FineTuneRun.resume(request, record, stop, listener(err)));
    }

    private TrainingRecipe recipe() throws UserException {
        int blocks;
        // The seed's LM fine-tune trained every weight; its classifier, the last two blocks.
        String given = trainableBlocks != null ? trainableBlocks : randomInit != null || objective.equals("lm") ? "all"
                : String.valueOf(TrainingRecipe.DEFAULT_TRAINABLE_BLOCKS);
        if (given.equals("all")) {
            blocks = -1;
        } else {
            try {
                blocks = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                throw new UserException("--trainable-blocks takes a number of blocks or all, not '" + given + "'.");
            }
            if (blocks < 0) {
                throw new UserException("--trainable-blocks must be 0 or more (0 trains only ln_f and the head), or all.");
            }
            if (randomInit != null) {
                throw new UserException("--random-init trains every weight; leave out --trainable-blocks or give all.");
            }
        }
        try {
            return new TrainingRecipe(blocks, epochs, batch, lr, weightDecay, warmupRatio, clipNorm, seed);
        } catch (IllegalArgumentException e) {
            throw new UserException("Fix the options: " + e.getMessage() + ".");
        }
    }

    /** The LM objective's layout from the options, or null for the classifier objective. */
    private LmFormat lmFormat() throws UserException {
        if (!objective.equals("lm")) {
            for (String option : List.of("--template", "--block-size", "--loss-on")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new UserException(option + " belongs to --objective lm; the classifier reads the review as it is.");
                }
            }
            return null;
        }
        int size;
        String sizeText = blockSize == null ? String.valueOf(LmFormat.SEED_BLOCK_SIZE) : blockSize;
        if (sizeText.equals("row")) {
            size = 0;
        } else {
            try {
                size = Integer.parseInt(sizeText);
            } catch (NumberFormatException e) {
                throw new UserException("--block-size takes a number of tokens or row, not '" + sizeText + "'.");
            }
            if (size < 2) {
                throw new UserException("--block-size must be at least 2 tokens (or row), not " + size + ".");
            }
        }
        LmFormat.LossOn on;
        String onText = lossOn == null ? "all" : lossOn;
        if (onText.equals("all")) {
            on = LmFormat.LossOn.ALL;
        } else if (onText.equals("label")) {
            on = LmFormat.LossOn.LABEL;
        } else {
            throw new UserException("--loss-on takes all or label, not '" + onText + "'.");
        }
        String text = template == null ? LmFormat.SEED_TEMPLATE : template.replace("\\n", "\n");
        try {
            return new LmFormat(text, size, on);
        } catch (IllegalArgumentException e) {
            throw new UserException("Fix --template: " + e.getMessage() + ".");
        }
    }

    /**
     * Reads and tokenizes the data. The classifier reads the review text as it is (no template),
     * after only the BOS the model's tokenizer config asks for (OPT's {@code </s>}; none for GPT-2
     * and GPT-Neo), as transformers' {@code tokenizer(text)} gives it and as the classifier lens
     * reads it back; the LM reads each review formatted by {@code lm} (GPT-2: no BOS).
     */
    private FineTuneRun.Request request(Path modelFolder, String baseName, Path tokenizerFolder, Path trainFile,
            Path devFile, TrainingRecipe recipe, LmFormat lm, PrintWriter err) throws Exception {
        ModelFolder files = new ModelFolder(tokenizerFolder);
        try (Gpt2Tokenizer tok = Gpt2Tokenizer.open(new TokenizerFiles(files.tokenizer(), files.vocab(), files.merges(),
                files.tokenizerConfig(), files.specialTokensMap(), files.addedTokens()))) {
            if (lm != null) {
                return lmRequest(modelFolder, baseName, tokenizerFolder, trainFile, devFile, recipe, lm, tok, err);
            }
            Examples trainSet = examples(trainFile, tok);
            Examples devSet = devFile == null ? null : examples(devFile, tok);
            err.printf(Locale.ROOT, "%d training examples (%d tokens)%s%n", trainSet.size(), trainSet.tokens(),
                    devSet == null ? "" : String.format(Locale.ROOT, ", %d dev examples", devSet.size()));
            return new FineTuneRun.Request(modelFolder, baseName, randomInit, tokenizerFolder, new ClassifierObjective(trainSet),
                    new DataSummary(trainFile.toString(), trainSet.size(), trainSet.tokens()),
                    devSet == null ? null : new ClassifierObjective(devSet),
                    devSet == null ? null : new DataSummary(devFile.toString(), devSet.size(), devSet.tokens()), recipe,
                    new ClassLabels(LABELS), null, out);
        }
    }

    private FineTuneRun.Request lmRequest(Path modelFolder, String baseName, Path tokenizerFolder, Path trainFile,
            Path devFile, TrainingRecipe recipe, LmFormat lm, Gpt2Tokenizer tok, PrintWriter err) throws UserException {
        LmData trainSet = lmData(trainFile, lm, tok);
        LmData devSet = devFile == null ? null : lmData(devFile, lm, tok);
        LmObjective trainObjective = new LmObjective(trainSet);
        LmObjective devObjective = devSet == null ? null : new LmObjective(devSet);
        err.printf(Locale.ROOT, "%d training examples as %d sequences (%s, %d tokens, loss on %s: %d targets)%s%n",
                trainSet.examples().length, trainObjective.size(), lm.layoutText(), trainObjective.tokens(), lm.lossOn().text(),
                trainSet.targetCount(), devSet == null ? "" : String.format(Locale.ROOT, ", %d dev examples", devSet.examples().length));
        return new FineTuneRun.Request(modelFolder, baseName, randomInit, tokenizerFolder, trainObjective,
                new DataSummary(trainFile.toString(), trainObjective.size(), trainObjective.tokens()), devObjective,
                devSet == null ? null : new DataSummary(devFile.toString(), devObjective.size(), devObjective.tokens()), recipe,
                new ClassLabels(LABELS), lm, out);
    }

    private static LmData lmData(Path file, LmFormat lm, Gpt2Tokenizer tokenizer) throws UserException {
        List<Example> list = read(file);
        List<String> reviews = new ArrayList<>();
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            reviews.add(list.get(i).text());
            labels[i] = LABELS.indexOf(list.get(i).gold().key());
        }
        try {
            return LmData.of(reviews, labels, LABELS, lm, tokenizer::encodeIds);
        } catch (IllegalArgumentException e) {
            throw new UserException(file + ": " + e.getMessage() + ".");
        }
    }

    private static List<Example> read(Path file) throws UserException {
        Dataset dataset;
        try {
            dataset = DatasetReader.read(DatasetSpec.of(file));
        } catch (EvalException e) {
            throw new UserException(e.message(EvalWords.OPTIONS));
        }
        List<Example> list = dataset.examples();
        if (list.isEmpty()) {
            throw new UserException(file + " holds no labelled examples.");
        }
        return list;
    }

    private static Examples examples(Path file, Gpt2Tokenizer tokenizer) throws UserException {
        List<Example> list = read(file);
        int[][] ids = new int[list.size()][];
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Example e = list.get(i);
            List<Token> tokens = tokenizer.encodePrompt(e.text());
            ids[i] = tokens.stream().mapToInt(Token::id).toArray();
            if (tokens.stream().allMatch(Token::special)) { // nothing but the BOS
                throw new UserException(file + ": example " + e.id() + " has no text; remove it.");
            }
            labels[i] = LABELS.indexOf(e.gold().key());
        }
        return new Examples(ids, labels);
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
        } catch (IOException e) {
            throw new UserException("Cannot write " + out + ": " + e.getMessage());
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
                        + " (+%d MB at the peak of a batch)%n", m.epoch(),
                        m.trainLoss(), Double.isNaN(m.devAccuracy()) ? ""
                                : String.format(Locale.ROOT, ", dev accuracy %.4f (loss %.4f)", m.devAccuracy(), m.devLoss()),
                        m.seconds(), m.examplesPerSecond(), m.residentMb(), m.batchMb());
                err.flush();
            }
        };
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}

package dev.logitscope.finetune;

import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TooManyBlocksException;
import dev.logitscope.train.FineTuneException;
import dev.logitscope.train.FineTuneFolder;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.FineTuneRun;
import dev.logitscope.train.LmFormat;
import dev.logitscope.train.TrainingListener;
import dev.logitscope.train.TrainingOutcome;
import dev.logitscope.train.TrainingRecipe;
import dev.logitscope.train.TrainingRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One fine-tuning run from what the user asked for to its outcome, shared by the {@code finetune}
 * command and the app's Fine-tune tab, so both give the same model for the same inputs.
 * {@link #prepare} checks every input that needs no model (the objective, the output folder, the
 * recipe, the LM layout; on a resume, the run's record); the surface then finds the base model
 * ({@link #modelToFind()}, downloading it with its own progress) and {@link #run} reads the data,
 * checks the model and trains. User mistakes are {@link FineTuneException}s naming their input.
 */
public final class FineTuneJob {
    /** SST-2's classes in its order (0 = negative, 1 = positive), the head's rows. */
    public static final List<String> LABELS = List.of("negative", "positive");

    private final FineTuneSpec spec;
    private final TrainingRecipe recipe;
    private final LmFormat lm;
    private final TrainingRecord previous;

    private FineTuneJob(FineTuneSpec spec, TrainingRecipe recipe, LmFormat lm, TrainingRecord previous) {
        this.spec = spec;
        this.recipe = recipe;
        this.lm = lm;
        this.previous = previous;
    }

    /**
     * Checks everything that needs no model or data; puts back a checkpoint a crash left aside.
     *
     * @throws FineTuneException for a mistake the user can fix
     * @throws ModelException    for an unknown {@code randomInit} shape
     */
    public static FineTuneJob prepare(FineTuneSpec s) throws IOException, ModelException {
        if (!s.objective().equals(FineTuneSpec.CLASSIFIER) && !s.objective().equals(FineTuneSpec.LM)) {
            throw new FineTuneException(FineTuneInput.OBJECTIVE, w -> w.name(FineTuneInput.OBJECTIVE)
                    + " takes classifier or lm, not '" + s.objective() + "'.");
        }
        Path out = s.out();
        if (out == null) {
            throw new FineTuneException(FineTuneInput.OUT, w -> "Choose an output folder for the fine-tuned model ("
                    + w.name(FineTuneInput.OUT) + ").");
        }
        FineTuneFolder.recover(out);
        if (s.resume()) {
            return new FineTuneJob(s, null, null, previousRun(s));
        }
        if (FineTuneRun.hasCheckpoint(out)) {
            throw new FineTuneException(FineTuneInput.OUT, w -> out + " already holds a fine-tuning run; continue it with "
                    + w.name(FineTuneInput.RESUME) + ", or " + w.newRun() + ".");
        }
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new FineTuneException(FineTuneInput.OUT, w -> out + " exists and is not an empty folder; " + w.newRun() + ".");
        }
        requireWritable(out);
        if ((s.model() == null) == (s.randomInit() == null)) {
            throw new FineTuneException(FineTuneInput.MODEL, w -> w.needModel());
        }
        if (s.train() == null) {
            throw new FineTuneException(FineTuneInput.TRAIN, w -> w.needTrain());
        }
        TrainingRecipe recipe = recipe(s);
        LmFormat lm = lmFormat(s);
        if (s.randomInit() != null) {
            FineTuneRun.randomInitShape(s.randomInit()); // a wrong name fails before the data is read
            if (s.tokenizer() == null || !Files.isRegularFile(s.tokenizer().resolve(ModelFolder.TOKENIZER))) {
                throw new FineTuneException(FineTuneInput.TOKENIZER,
                        "--random-init needs --tokenizer DIR, a folder with tokenizer.json (GPT-2's).");
            }
        }
        return new FineTuneJob(s, recipe, lm, null);
    }

    private static TrainingRecord previousRun(FineTuneSpec s) throws IOException {
        Path out = s.out();
        if (!FineTuneRun.hasCheckpoint(out)) {
            throw new FineTuneException(FineTuneInput.OUT, w -> out + " holds no fine-tuning run to resume (no "
                    + FineTuneFolder.RECORD + "); start one without " + w.name(FineTuneInput.RESUME) + ".");
        }
        for (FineTuneInput input : FineTuneInput.values()) {
            if (input != FineTuneInput.OUT && input != FineTuneInput.RESUME && s.given().contains(input)) {
                throw new FineTuneException(input, w -> w.name(FineTuneInput.RESUME) + " continues " + out + " as "
                        + FineTuneFolder.RECORD + " describes it; leave out " + w.name(input) + ".");
            }
        }
        try {
            return FineTuneFolder.readRecord(out);
        } catch (RuntimeException e) { // not JSON, or not a record this version writes
            throw new FineTuneException(FineTuneInput.OUT, w -> out.resolve(FineTuneFolder.RECORD)
                    + " is not a fine-tuning record this version can continue (" + e.getMessage() + "); " + w.newRun() + ".");
        }
    }

    /** The checkpoints go into a sibling folder first and are renamed into place: the parent must take new folders. */
    private static void requireWritable(Path out) {
        Path parent = out.toAbsolutePath().normalize().getParent();
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            Path blocking = existing;
            throw new FineTuneException(FineTuneInput.OUT, w -> "Cannot write " + out + ": "
                    + (blocking == null ? "its folder does not exist"
                            : blocking + (Files.isDirectory(blocking) ? " is not writable" : " is a file, not a folder"))
                    + "; " + w.newRun() + ".");
        }
    }

    private static TrainingRecipe recipe(FineTuneSpec s) {
        int blocks;
        // The seed's LM fine-tune trained every weight; its classifier, the last two blocks.
        String given = s.trainableBlocks() != null ? s.trainableBlocks().strip()
                : s.randomInit() != null || s.objective().equals(FineTuneSpec.LM) ? "all"
                : String.valueOf(TrainingRecipe.DEFAULT_TRAINABLE_BLOCKS);
        FineTuneInput input = FineTuneInput.TRAINABLE_BLOCKS;
        if (given.equals("all")) {
            blocks = -1;
        } else {
            try {
                blocks = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                throw new FineTuneException(input, w -> w.name(input) + " takes a number of blocks or all, not '" + given + "'.");
            }
            if (blocks < 0) {
                throw new FineTuneException(input, w -> w.name(input)
                        + " must be 0 or more (0 trains only ln_f and the head), or all.");
            }
        }
        Double p = s.dropout();
        if (p != null && !(p >= 0 && p < 1)) {
            FineTuneInput dropout = FineTuneInput.DROPOUT;
            throw new FineTuneException(dropout, w -> w.name(dropout) + " must be a probability in [0, 1) (0 turns dropout off),"
                    + " not " + p + ".");
        }
        try {
            return new TrainingRecipe(blocks, s.epochs(), s.batch(), s.learningRate(), s.weightDecay(), s.warmupRatio(),
                    s.clipNorm(), s.seed(), p == null ? null : DropoutRates.all(p));
        } catch (FineTuneException e) {
            throw new FineTuneException(e.input().orElse(null), w -> w.fixRecipe() + e.message(w) + ".");
        }
    }

    /** The LM objective's layout, or null for the classifier objective. */
    private static LmFormat lmFormat(FineTuneSpec s) {
        if (!s.objective().equals(FineTuneSpec.LM)) {
            for (FineTuneInput input : List.of(FineTuneInput.TEMPLATE, FineTuneInput.BLOCK_SIZE, FineTuneInput.LOSS_ON)) {
                String value = input == FineTuneInput.TEMPLATE ? s.template()
                        : input == FineTuneInput.BLOCK_SIZE ? s.blockSize() : s.lossOn();
                if (value != null) {
                    throw new FineTuneException(input, w -> w.name(input) + " belongs to " + w.name(FineTuneInput.OBJECTIVE)
                            + " lm; the classifier reads the review as it is.");
                }
            }
            return null;
        }
        int size;
        String sizeText = s.blockSize() == null ? String.valueOf(LmFormat.SEED_BLOCK_SIZE) : s.blockSize().strip();
        FineTuneInput block = FineTuneInput.BLOCK_SIZE;
        if (sizeText.equals("row")) {
            size = 0;
        } else {
            try {
                size = Integer.parseInt(sizeText);
            } catch (NumberFormatException e) {
                throw new FineTuneException(block, w -> w.name(block) + " takes a number of tokens or row, not '" + sizeText + "'.");
            }
            if (size < 2) {
                int given = size;
                throw new FineTuneException(block, w -> w.name(block) + " must be at least 2 tokens (or row), not " + given + ".");
            }
        }
        LmFormat.LossOn on;
        String onText = s.lossOn() == null ? "all" : s.lossOn().strip();
        if (onText.equals("all")) {
            on = LmFormat.LossOn.ALL;
        } else if (onText.equals("label")) {
            on = LmFormat.LossOn.LABEL;
        } else {
            throw new FineTuneException(FineTuneInput.LOSS_ON, w -> w.name(FineTuneInput.LOSS_ON)
                    + " takes all or label, not '" + onText + "'.");
        }
        String text = s.template() == null ? LmFormat.SEED_TEMPLATE : s.template().replace("\\n", "\n");
        try {
            return new LmFormat(text, size, on);
        } catch (IllegalArgumentException e) {
            throw new FineTuneException(FineTuneInput.TEMPLATE, w -> "Fix " + w.name(FineTuneInput.TEMPLATE) + ": "
                    + e.getMessage() + ".");
        }
    }

    /** True when this continues a stopped run. */
    public boolean resuming() {
        return previous != null;
    }

    /** The record of the run a resume continues, or null for a new run. */
    public TrainingRecord previous() {
        return previous;
    }

    /** A resume of a run that has finished all its epochs: nothing to do. */
    public boolean finished() {
        return previous != null && previous.finished();
    }

    /** The base model the surface must find before {@link #run} (a folder or a hub id), or null when none is needed. */
    public String modelToFind() {
        return previous == null ? spec.model() : null;
    }

    public Path out() {
        return spec.out();
    }

    /** The run's recipe (on a resume, the record's). */
    public TrainingRecipe recipe() {
        return previous != null ? previous.recipe() : recipe;
    }

    /**
     * Reads and tokenizes the data, checks the base model, and trains into the output folder with a
     * checkpoint after every epoch, until the last epoch or {@code stop} (checked between batches;
     * the last complete epoch's checkpoint stands).
     *
     * @param modelFolder where {@link #modelToFind()} was found (null when it was null)
     * @param baseName    how the user named it (the record's {@code base_model})
     * @param notes       one-line reports on the data and the run, for the user
     */
    public TrainingOutcome run(Path modelFolder, String baseName, Consumer<String> notes, Cancellation stop,
            TrainingListener listener) throws ModelException {
        FineTuneRun.Request request;
        if (previous != null) {
            Path out = spec.out();
            Path devPath = previous.dev() == null ? null : Path.of(previous.dev().path());
            request = FineTuneData.request(null, previous.baseModel(), null, out, Path.of(previous.train().path()), devPath,
                    previous.recipe(), previous.lm(), out, notes);
            if (request.train().size() != previous.train().examples()
                    || request.trainData().tokens() != previous.train().tokens()) {
                throw new FineTuneException(FineTuneInput.TRAIN, previous.train().path() + " is not the data the run in " + out
                        + " was trained on (it changed since); start a new run.");
            }
            notes.accept(String.format(Locale.ROOT, "resuming %s after epoch %d of %d", out,
                    previous.state().completedEpochs(), previous.recipe().epochs()));
        } else {
            Path tokenizerFolder;
            Path model = null;
            if (spec.randomInit() != null) {
                tokenizerFolder = spec.tokenizer();
                baseName = "random-init " + spec.randomInit();
            } else {
                try {
                    model = new ModelFolder(modelFolder).requireFiles(true).dir();
                } catch (ModelException e) {
                    throw new FineTuneException(FineTuneInput.MODEL, e.getMessage());
                }
                tokenizerFolder = model;
            }
            request = FineTuneData.request(model, baseName, spec.randomInit(), tokenizerFolder, spec.train(), spec.dev(),
                    recipe, lm, spec.out(), notes);
        }
        try {
            return previous != null ? FineTuneRun.resume(request, previous, stop::requested, listener)
                    : FineTuneRun.start(request, stop::requested, listener);
        } catch (TooManyBlocksException e) {
            FineTuneInput input = FineTuneInput.TRAINABLE_BLOCKS;
            throw new FineTuneException(input, w -> w.name(input) + " " + e.requested() + " is more than the model's "
                    + e.blocks() + " " + e.what() + "; give at most " + e.blocks() + ", or all.");
        } catch (IOException e) {
            throw new FineTuneException(FineTuneInput.OUT, "Cannot write " + spec.out() + ": " + e.getMessage());
        }
    }

    /** The labels every run trains: SST-2's. */
    static ClassLabels labels() {
        return new ClassLabels(LABELS);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}

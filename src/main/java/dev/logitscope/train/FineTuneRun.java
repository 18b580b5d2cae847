package dev.logitscope.train;

import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gpt2.Gpt2Config;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One fine-tuning run from start (or from the last checkpoint in {@code out}) to its end or a
 * stop: loads the model on its own model thread, trains, writes a checkpoint after every epoch.
 * The CLI and the app share it.
 */
public final class FineTuneRun {

    /**
     * The shapes {@code --random-init} knows: a GPT-2 small enough to train from scratch on a CPU,
     * and GPT-2 small's own shape (to measure the seed's recipe without its weights).
     */
    public static Gpt2Config randomInitShape(String name) throws ModelException {
        return switch (name) {
            case "tiny" -> new Gpt2Config(2, 64, 4, 1024, 50257, 256, 1e-5); // 2 blocks, width 64, GPT-2's vocabulary and context
            case "gpt2" -> new Gpt2Config(12, 768, 12, 1024, 50257, 3072, 1e-5); // gpt2 (124M)
            default -> throw new ModelException("--random-init knows 'tiny' (2 blocks of width 64, GPT-2's vocabulary) and"
                    + " 'gpt2' (GPT-2 small's shape), not '" + name + "'.");
        };
    }

    /**
     * What to train.
     *
     * @param modelFolder     the base model's folder, or null with {@code randomInit}
     * @param baseName        how the user named the base model (the record's {@code base_model})
     * @param randomInit      a {@link #randomInitShape} name, or null
     * @param tokenizerFolder where the tokenizer files to copy into the result are
     * @param dev             may be null
     * @param labels          the classes (the classifier's head rows; the LM's label words)
     * @param lm              how the LM objective lays out the data; null for the classifier objective
     */
    public record Request(Path modelFolder, String baseName, String randomInit, Path tokenizerFolder, Objective train,
            DataSummary trainData, Objective dev, DataSummary devData, TrainingRecipe recipe, ClassLabels labels, LmFormat lm,
            Path out) {

        /** The classes the model's head has: none for an LM (GPT2LMHeadModel). */
        ClassLabels headLabels() {
            return lm == null ? labels : null;
        }
    }

    private FineTuneRun() {}

    /** Starts a new run into {@code request.out()} (which must not hold one). */
    public static TrainingOutcome start(Request request, BooleanSupplier stop, TrainingListener listener)
            throws ModelException, IOException {
        TrainingRecipe recipe = request.recipe();
        return onModelThread(root -> {
            TrainableModel model = request.randomInit() != null
                    ? Gpt2Trainable.randomInit(randomInitShape(request.randomInit()), request.headLabels(),
                            recipe.trainableBlocks(), recipe.seed(), root)
                    : ModelFamilies.loadForFineTuning(new ModelFolder(request.modelFolder()), request.headLabels(),
                            recipe.trainableBlocks(), recipe.seed(), root);
            try (model; AdamW optimizer = new AdamW(root)) {
                TrainingRecord record = record(request, model, TrainingState.START);
                return train(model, optimizer, record, request, TrainingState.START, stop, listener, root);
            }
        });
    }

    /**
     * Continues the run in {@code request.out()} from its last checkpoint: its model, optimizer
     * state and record; {@code request}'s data must be the record's (the caller checks).
     */
    public static TrainingOutcome resume(Request request, TrainingRecord previous, BooleanSupplier stop,
            TrainingListener listener) throws ModelException, IOException {
        Path out = request.out();
        return onModelThread(root -> {
            TrainableModel model = ModelFamilies.loadForFineTuning(new ModelFolder(out),
                    previous.lm() == null ? new ClassLabels(previous.labels()) : null, previous.recipe().trainableBlocks(),
                    previous.recipe().seed(), root);
            try (model; AdamW optimizer = new AdamW(root)) {
                long[] updates = new long[1];
                Map<String, float[]> state = FineTuneFolder.readOptimizer(out, updates);
                Map<String, Shape> shapes = new LinkedHashMap<>();
                for (TrainableParameter p : model.parameters()) {
                    if (p.trainable()) {
                        shapes.put(p.name(), p.array().getShape());
                    }
                }
                optimizer.restore(state, shapes, updates[0]);
                return train(model, optimizer, previous, request, previous.state(), stop, listener, root);
            }
        });
    }

    private static TrainingOutcome train(TrainableModel model, AdamW optimizer, TrainingRecord record, Request request,
            TrainingState from, BooleanSupplier stop, TrainingListener listener, ai.djl.ndarray.NDManager root)
            throws ModelException, IOException {
        Trainer trainer = new Trainer(model, record.recipe(), request.train(), request.dev(), root);
        TrainingRecord[] current = {record};
        TrainingOutcome outcome = trainer.run(from, optimizer, stop, listener, (state, adam) -> {
            boolean last = state.completedEpochs() == record.recipe().epochs();
            current[0] = current[0].with(state, last);
            FineTuneFolder.write(request.out(), model, request.tokenizerFolder(), current[0], adam);
        });
        return outcome;
    }

    private static TrainingRecord record(Request request, TrainableModel model, TrainingState state) {
        long parameters = 0;
        long trainable = 0;
        for (TrainableParameter p : model.parameters()) {
            parameters += p.array().getShape().size();
            if (p.trainable()) {
                trainable += p.array().getShape().size();
            }
        }
        String base = request.randomInit() != null ? "random-init " + request.randomInit() : request.baseName();
        // The record names the dropout the run uses: --dropout's, or the model config's.
        return new TrainingRecord(base, request.labels().names(), request.lm(), request.trainData(), request.devData(),
                request.recipe().resolvedFor(model), parameters, trainable, state, false);
    }

    /** Work on a model thread of its own, with the checked exceptions it may throw. */
    private interface Work {
        TrainingOutcome run(ai.djl.ndarray.NDManager root) throws ModelException, IOException;
    }

    private static TrainingOutcome onModelThread(Work work) throws ModelException, IOException {
        ModelThread thread;
        try {
            thread = new ModelThread();
        } catch (IllegalStateException e) {
            throw new ModelException(e.getMessage(), e);
        }
        try {
            return thread.call(work::run);
        } catch (ModelException | IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("Training failed: " + e.getMessage(), e);
        } finally {
            thread.close();
        }
    }

    /** Whether {@code out} holds a run's checkpoint. */
    public static boolean hasCheckpoint(Path out) {
        return Files.isRegularFile(out.resolve(FineTuneFolder.RECORD));
    }
}

package dev.logitscope.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.Scalars;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The fine-tuning loop with DJL's autograd on the PyTorch engine: per batch, the {@link Objective}'s
 * loss under a {@link GradientCollector} and backward; then the gradients of the
 * trainable parameters (frozen ones have none) clipped by their global norm and one
 * {@link AdamW} update at the {@link LinearSchedule}'s learning rate. The forward pass of a step
 * drops out as the recipe says ({@link SeededDropout}: masks from the seed and the step); the dev
 * passes never do. Each epoch visits the
 * training set in an order drawn from (seed, epoch) alone, so a resumed run repeats an
 * uninterrupted one. A stop request ends the run between batches; the last checkpoint (the end of
 * the last whole epoch) stands. Runs on the model thread.
 */
public final class Trainer {
    private final TrainableModel model;
    private final TrainingRecipe recipe;
    private final DropoutRates dropoutRates;
    private final Objective train;
    private final Objective dev;
    private final NDManager root;

    /** The classifier objective on {@code train}; {@code dev} may be null (no dev metrics). */
    public Trainer(TrainableModel model, TrainingRecipe recipe, Examples train, Examples dev, NDManager root) {
        this(model, recipe, new ClassifierObjective(train), dev == null ? null : new ClassifierObjective(dev), root);
    }

    /** @param dev may be null (no dev metrics) */
    public Trainer(TrainableModel model, TrainingRecipe recipe, Objective train, Objective dev, NDManager root) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        this.model = model;
        this.recipe = recipe;
        this.dropoutRates = recipe.resolvedFor(model).dropout();
        this.train = train;
        this.dev = dev;
        this.root = root;
    }

    /** The order of epoch {@code epoch} (from 1): a shuffle drawn from the seed and the epoch only. */
    static List<Integer> order(int size, long seed, int epoch) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** Trains from {@code start} to the recipe's last epoch, or until {@code stop} says so. */
    public TrainingOutcome run(TrainingState start, AdamW optimizer, BooleanSupplier stop, TrainingListener listener,
            CheckpointSink sink) throws ModelException, IOException {
        int stepsPerEpoch = recipe.stepsPerEpoch(train.size());
        LinearSchedule schedule = LinearSchedule.of((long) stepsPerEpoch * recipe.epochs(), recipe.warmupRatio());
        List<TrainableParameter> trainable = model.parameters().stream().filter(TrainableParameter::trainable).toList();
        TrainingState state = start;
        for (int epoch = start.completedEpochs() + 1; epoch <= recipe.epochs(); epoch++) {
            List<Integer> order = order(train.size(), recipe.seed(), epoch);
            long began = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            long step = state.steps();
            long before = residentMb();
            boolean peakReset = resetPeakResident();
            for (int b = 0; b < stepsPerEpoch; b++) {
                if (stop.getAsBoolean()) {
                    return new TrainingOutcome(state, true);
                }
                List<Integer> batch = order.subList(b * recipe.batch(), Math.min(train.size(), (b + 1) * recipe.batch()));
                float loss = step(batch, trainable, optimizer, (float) (recipe.learningRate() * schedule.factor(step)), step);
                step++;
                lossSum += loss * batch.size();
                seen += batch.size();
                double seconds = (System.nanoTime() - began) / 1e9;
                double rate = seen / Math.max(seconds, 1e-9);
                long left = (long) (recipe.epochs() - epoch) * train.size() + (train.size() - seen);
                listener.onProgress(new TrainingProgress(epoch, recipe.epochs(), b + 1, stepsPerEpoch, seen, train.size(),
                        lossSum / seen, rate, left / rate));
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            long peak = peakResidentMb();
            long batchMb = peakReset && before >= 0 && peak >= 0 ? Math.max(0, peak - before) : -1;
            double[] devScores = dev == null ? new double[] {Double.NaN, Double.NaN} : dev.evaluate(model, root);
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum / seen, devScores[0], devScores[1], seconds,
                    seen / seconds, residentMb(), batchMb, peakReset ? peak : -1, root.getManagedArrays().size(),
                    Runtime.getRuntime().totalMemory() / (1024 * 1024));
            List<EpochMetrics> epochs = new ArrayList<>(state.epochs());
            epochs.add(metrics);
            state = new TrainingState(epoch, step, epochs);
            sink.save(state, optimizer);
            listener.onEpoch(metrics);
        }
        return new TrainingOutcome(state, false);
    }

    /** Optimizer step {@code index} (from 0 over the run) on {@code batch}; returns its mean loss. */
    private float step(List<Integer> batch, List<TrainableParameter> trainable, AdamW optimizer, float learningRate,
            long index) throws ModelException {
        float loss;
        try (NDManager scratch = root.newSubManager()) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                Dropout dropout = SeededDropout.forStep(dropoutRates, recipe.seed(), index);
                NDArray lossArray = train.loss(model, batch, dropout, scratch); // scalar
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
        }
        try (NDScope scope = new NDScope()) { // the gradient handles and the norm's temporaries
            List<NDArray> gradients = new ArrayList<>();
            for (TrainableParameter p : trainable) {
                gradients.add(p.array().getGradient());
            }
            GlobalNormClip.clip(gradients, recipe.clipNorm());
            optimizer.beginStep();
            for (int i = 0; i < trainable.size(); i++) {
                TrainableParameter p = trainable.get(i);
                optimizer.update(p.name(), p.array(), gradients.get(i), learningRate,
                        p.decays() ? (float) recipe.weightDecay() : 0f);
            }
        }
        return loss;
    }

    /** Mean cross-entropy of [B, K] logits against class indices: −mean log softmax(logits)[label]. */
    static NDArray crossEntropy(NDArray logits, int[] labels, NDManager manager) {
        int k = (int) logits.getShape().get(1);
        float[] oneHot = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * k + labels[i]] = 1f;
        }
        NDArray target = manager.create(oneHot, new Shape(labels.length, k));
        return logits.logSoftmax(1).mul(target).sum().neg().div(Scalars.of(logits, labels.length)); // see Scalars
    }

    /** VmRSS of this process in MB, −1 where /proc is not there. */
    static long residentMb() {
        return status("VmRSS:");
    }

    /** VmHWM (peak resident memory since the last {@link #resetPeakResident}) in MB, −1 where unknown. */
    static long peakResidentMb() {
        return status("VmHWM:");
    }

    /** Resets VmHWM to the current RSS (Linux: "5" to /proc/self/clear_refs); false where that is not possible. */
    static boolean resetPeakResident() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

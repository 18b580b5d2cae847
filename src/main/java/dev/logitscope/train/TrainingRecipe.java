package dev.logitscope.train;

import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.TrainableModel;

/**
 * How a model is fine-tuned: the classifier objective (the last token's final-norm output through
 * {@code score}, cross-entropy), AdamW with decoupled weight decay on matrices, global-norm
 * gradient clipping and a linear warm-up then linear decay to 0 over every step of the run, with
 * dropout in the training passes as transformers' {@code model.train()} applies it.
 *
 * @param trainableBlocks the last this-many blocks are trained (with ln_f and the head); −1 trains everything
 * @param warmupRatio     the share of all steps spent warming up from 0 to {@code learningRate}
 * @param dropout         the dropout probabilities of a training pass; null: the model config's (the run resolves
 *                        and records them)
 */
public record TrainingRecipe(int trainableBlocks, int epochs, int batch, double learningRate, double weightDecay,
        double warmupRatio, double clipNorm, long seed, DropoutRates dropout) {

    /** The seed's recipe: last two blocks trainable, 3 epochs, AdamW. */
    public static final int DEFAULT_TRAINABLE_BLOCKS = 2;

    public TrainingRecipe {
        require(trainableBlocks >= -1, FineTuneInput.TRAINABLE_BLOCKS, "trainable blocks must be a count or all, got "
                + trainableBlocks);
        require(epochs >= 1, FineTuneInput.EPOCHS, "epochs must be at least 1, got " + epochs);
        require(batch >= 1, FineTuneInput.BATCH, "batch must be at least 1, got " + batch);
        require(learningRate > 0 && Double.isFinite(learningRate), FineTuneInput.LEARNING_RATE,
                "the learning rate must be positive, got " + learningRate);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), FineTuneInput.WEIGHT_DECAY,
                "weight decay must be 0 or more, got " + weightDecay);
        require(warmupRatio >= 0 && warmupRatio < 1, FineTuneInput.WARMUP_RATIO,
                "the warm-up ratio must be in [0, 1), got " + warmupRatio);
        require(clipNorm > 0 && Double.isFinite(clipNorm), FineTuneInput.CLIP_NORM,
                "the clipping norm must be positive, got " + clipNorm);
    }

    /** A recipe without dropout. */
    public TrainingRecipe(int trainableBlocks, int epochs, int batch, double learningRate, double weightDecay,
            double warmupRatio, double clipNorm, long seed) {
        this(trainableBlocks, epochs, batch, learningRate, weightDecay, warmupRatio, clipNorm, seed, DropoutRates.OFF);
    }

    /** This recipe with its dropout resolved for {@code model}: the given rates, or the model config's. */
    public TrainingRecipe resolvedFor(TrainableModel model) {
        return dropout != null ? this : new TrainingRecipe(trainableBlocks, epochs, batch, learningRate, weightDecay,
                warmupRatio, clipNorm, seed, model.configDropout());
    }

    /** Optimizer steps of one epoch over {@code examples}. */
    public int stepsPerEpoch(int examples) {
        return (examples + batch - 1) / batch;
    }

    /** "all" or the count, as written on the command line and in the record. */
    public String trainableBlocksText() {
        return trainableBlocks < 0 ? "all" : String.valueOf(trainableBlocks);
    }

    /** A bad value names its input, so a surface can point at the field. */
    private static void require(boolean condition, FineTuneInput input, String message) {
        if (!condition) {
            throw new FineTuneException(input, message);
        }
    }
}

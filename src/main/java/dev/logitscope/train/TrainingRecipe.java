package dev.logitscope.train;

/**
 * How a model is fine-tuned: the classifier objective (the last token's final-norm output through
 * {@code score}, cross-entropy), AdamW with decoupled weight decay on matrices, global-norm
 * gradient clipping and a linear warm-up then linear decay to 0 over every step of the run.
 *
 * @param trainableBlocks the last this-many blocks are trained (with ln_f and the head); −1 trains everything
 * @param warmupRatio     the share of all steps spent warming up from 0 to {@code learningRate}
 */
public record TrainingRecipe(int trainableBlocks, int epochs, int batch, double learningRate, double weightDecay,
        double warmupRatio, double clipNorm, long seed) {

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

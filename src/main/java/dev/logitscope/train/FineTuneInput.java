package dev.logitscope.train;

/**
 * The inputs of a fine-tuning run a user error can be about. Each surface names them in its own
 * words ({@link FineTuneWords}): the command line by its options, the Fine-tune tab by its fields.
 */
public enum FineTuneInput {
    MODEL("--model", "the base model"),
    RANDOM_INIT("--random-init", "the random initialisation"),
    TOKENIZER("--tokenizer", "the tokenizer folder"),
    TRAIN("--train", "the training data"),
    DEV("--dev", "the dev data"),
    OBJECTIVE("--objective", "the objective"),
    TEMPLATE("--template", "the LM template"),
    BLOCK_SIZE("--block-size", "the block size"),
    LOSS_ON("--loss-on", "the tokens the loss is on"),
    TRAINABLE_BLOCKS("--trainable-blocks", "the trainable blocks"),
    EPOCHS("--epochs", "the epochs"),
    BATCH("--batch", "the batch size"),
    LEARNING_RATE("--lr", "the learning rate"),
    WEIGHT_DECAY("--weight-decay", "the weight decay"),
    WARMUP_RATIO("--warmup-ratio", "the warm-up ratio"),
    CLIP_NORM("--clip-norm", "the clipping norm"),
    SEED("--seed", "the seed"),
    DROPOUT("--dropout", "the dropout"),
    OUT("--out", "the output folder"),
    RESUME("--resume", "resuming");

    private final String option;
    private final String plain;

    FineTuneInput(String option, String plain) {
        this.option = option;
        this.plain = plain;
    }

    /** The {@code finetune} option that sets it. */
    public String option() {
        return option;
    }

    /** The input in plain words, for messages that belong to no surface. */
    public String plain() {
        return plain;
    }
}

package dev.logitscope.eval;

/**
 * The inputs of an evaluation a user error can be about. Each surface names them in its own words
 * ({@link EvalWords}): the command line by its options ({@link EvalWords#OPTIONS}), the Evaluate tab
 * by its fields and buttons.
 */
public enum EvalInput {
    MODELS("--models", "the models"),
    DATASET("--dataset", "the dataset"),
    FORMAT("--format", "the dataset format"),
    TEXT_COLUMN("--text-col", "the text column"),
    LABEL_COLUMN("--label-col", "the label column"),
    LABEL_MAP("--label-map", "the label values"),
    LIMIT("--limit", "the limit"),
    SAMPLE("--sample", "the sample size"),
    SAMPLE_SEED("--seed", "the sample seed"),
    SKIP_BAD("--skip-bad", "skipping bad lines"),
    DEMO_POOL("--demo-pool", "the demonstration pool"),
    TRAIN("--train", "the training split"),
    SHOTS("--shots", "the demonstration counts"),
    DEMO_LABELS("--demo-labels", "the demonstration labels"),
    SEEDS("--seeds", "the number of seeds"),
    METHOD("--method", "the scoring method"),
    LOSS_SPAN("--loss-span", "the loss span"),
    CALIBRATE("--calibrate", "calibration"),
    MARGIN("--margin", "the overthinking margin"),
    BATCH("--batch", "the batch size"),
    OUT("--out", "the output folder"),
    RESUME("--resume", "resuming");

    private final String option;
    private final String plain;

    EvalInput(String option, String plain) {
        this.option = option;
        this.plain = plain;
    }

    /** The {@code eval} option that sets it (the request's, and the run manifest's, name for it). */
    public String option() {
        return option;
    }

    /** The input in plain words, for logs and messages that belong to no surface. */
    public String plain() {
        return plain;
    }
}

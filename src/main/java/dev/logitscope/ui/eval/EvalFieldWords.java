package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalInput;
import dev.logitscope.eval.EvalWords;

/** The Evaluate tab's words for an evaluation's inputs: its fields, boxes and buttons. */
public final class EvalFieldWords implements EvalWords {
    public static final EvalFieldWords INSTANCE = new EvalFieldWords();

    private EvalFieldWords() {}

    @Override
    public String name(EvalInput input) {
        return switch (input) {
            case MODELS -> "Models";
            case DATASET -> "Dataset";
            case FORMAT -> "Format";
            case TEXT_COLUMN -> "Text column";
            case LABEL_COLUMN -> "Label column";
            case LABEL_MAP -> "Label values";
            case LIMIT -> "Limit";
            case SAMPLE -> "Sample";
            case SAMPLE_SEED -> "Sample seed";
            case SKIP_BAD -> "“Skip bad lines”";
            case DEMO_POOL -> "demonstration pool";
            case TRAIN -> "“Demonstrations from”";
            case SHOTS -> "Shots";
            case DEMO_LABELS -> "Demonstration labels";
            case SEEDS -> "Seeds";
            case METHOD -> "Method";
            case LOSS_SPAN -> "Loss span";
            case CALIBRATE -> "Calibrate";
            case MARGIN -> "Margin";
            case BATCH -> "Batch";
            case OUT -> "output folder";
            case RESUME -> "Resume";
        };
    }

    @Override
    public String turnOn(EvalInput input) {
        return switch (input) {
            case RESUME -> "press Resume";
            case SKIP_BAD, CALIBRATE -> "tick " + name(input);
            default -> "fill in " + name(input);
        };
    }

    @Override
    public String turnOff(EvalInput input) {
        return switch (input) {
            case RESUME -> "press Run";
            case SKIP_BAD, CALIBRATE -> "untick " + name(input);
            default -> "clear " + name(input);
        };
    }

    @Override
    public String newRun() {
        return "press Run to start a new run in a new folder";
    }
}

package dev.logitscope.ui.finetune;

import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.FineTuneWords;

/** The Fine-tune tab's words for a run's inputs: its fields and boxes. */
public final class FineTuneFieldWords implements FineTuneWords {
    public static final FineTuneFieldWords INSTANCE = new FineTuneFieldWords();

    private FineTuneFieldWords() {}

    @Override
    public String name(FineTuneInput input) {
        return switch (input) {
            case MODEL -> "Base model";
            case TRAIN -> "Train file";
            case DEV -> "Dev file";
            case OBJECTIVE -> "Objective";
            case TEMPLATE -> "Template";
            case BLOCK_SIZE -> "Block size";
            case LOSS_ON -> "Loss on";
            case TRAINABLE_BLOCKS -> "Trainable blocks";
            case EPOCHS -> "Epochs";
            case BATCH -> "Batch";
            case LEARNING_RATE -> "Learning rate";
            case SEED -> "Seed";
            case OUT -> "Output folder";
            case RESUME -> "Resume";
            default -> input.plain(); // not on the tab: the command line's defaults
        };
    }

    @Override
    public String needModel() {
        return "Choose the base model: load one in the model bar, or choose a model folder.";
    }

    @Override
    public String needTrain() {
        return "Choose a training file: SST-2 (stsa.binary.train), a GLUE .tsv, or CSV/TSV/JSONL with text and label.";
    }

    @Override
    public String newRun() {
        return "choose another output folder";
    }

    @Override
    public String fixRecipe() {
        return "Fix the recipe: ";
    }
}

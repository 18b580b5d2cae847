package dev.logitscope.train;

/**
 * How a surface speaks of a fine-tuning run's inputs: the command line says {@code --epochs}, the
 * Fine-tune tab "Epochs". A {@link FineTuneException} is written once against these words and
 * each surface renders it with its own.
 */
public interface FineTuneWords {
    /** The input's name: "--epochs" / "Epochs". */
    String name(FineTuneInput input);

    /** What to do when no base model is given. */
    String needModel();

    /** What to do when no training data is given. */
    String needTrain();

    /** Starting a run elsewhere: "choose another --out" / "choose another output folder". */
    String newRun();

    /** Before a recipe value's own complaint: "Fix the options: " / "Fix the recipe: ". */
    String fixRecipe();

    /** The command line's words: {@code finetune}'s options. */
    FineTuneWords OPTIONS = new FineTuneWords() {
        @Override
        public String name(FineTuneInput input) {
            return input.option();
        }

        @Override
        public String needModel() {
            return "Give either --model (a model to fine-tune) or --random-init tiny (train from scratch).";
        }

        @Override
        public String needTrain() {
            return "Give the training data with --train FILE.";
        }

        @Override
        public String newRun() {
            return "choose another --out";
        }

        @Override
        public String fixRecipe() {
            return "Fix the options: ";
        }
    };
}

package dev.logitscope.model;

/** The checks every family makes of the token ids it is given, in the words users see. */
public final class InputChecks {
    private InputChecks() {}

    /** Refuses a prompt of {@code positions} tokens when the model reads at most {@code context}. */
    public static void requireFits(int positions, int context) throws ModelException {
        if (positions > context) {
            throw new ModelException("The prompt is " + positions + " tokens long but the model reads at most "
                    + context + ". Shorten the review or use fewer demonstrations.");
        }
    }

    /** Refuses an id outside the model's vocabulary of {@code vocabSize} rows (a tokenizer of another model). */
    public static void requireInVocabulary(int[] ids, int vocabSize) throws ModelException {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new ModelException("Token id " + id + " is outside the model's vocabulary of "
                        + vocabSize + "; the tokenizer does not belong to this model.");
            }
        }
    }
}

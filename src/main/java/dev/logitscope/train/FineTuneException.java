package dev.logitscope.train;

import java.util.Optional;

/**
 * A mistake in a fine-tuning run's input a user can fix (a value out of range, a missing file, an
 * output folder that holds something else). It carries which input it is about and its message
 * written against {@link FineTuneWords}, so each surface says it in its own words;
 * {@link #getMessage()} is the command line's. An {@link IllegalArgumentException}, as a bad
 * {@link TrainingRecipe} value always was.
 */
public class FineTuneException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A message written against a surface's words. */
    @FunctionalInterface
    public interface Wording {
        String in(FineTuneWords words);
    }

    private final transient FineTuneInput input;
    private final transient Wording wording;

    /** @param input the input the user should change, or null when it is about none */
    public FineTuneException(FineTuneInput input, Wording wording) {
        super(wording.in(FineTuneWords.OPTIONS));
        this.input = input;
        this.wording = wording;
    }

    /** A message that reads the same on every surface. */
    public FineTuneException(FineTuneInput input, String message) {
        this(input, words -> message);
    }

    public Optional<FineTuneInput> input() {
        return Optional.ofNullable(input);
    }

    /** The message in a surface's words. */
    public String message(FineTuneWords words) {
        return wording.in(words);
    }
}

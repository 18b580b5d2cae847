package dev.logitscope.lens;

import dev.logitscope.model.ModelException;

/**
 * The model produced NaN or ±∞ on the way to a lens reading. No probability, verdict or accuracy
 * may be derived from such a reading: NaN compares false with everything, so a prediction made
 * from it is an arbitrary label that looks like an answer.
 */
public final class NonFiniteValuesException extends ModelException {
    private static final long serialVersionUID = 1L;

    NonFiniteValuesException(String message) {
        super(message);
    }
}

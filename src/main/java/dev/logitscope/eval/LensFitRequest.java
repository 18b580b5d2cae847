package dev.logitscope.eval;

import dev.logitscope.lens.KlDescentSettings;
import java.nio.file.Path;

/**
 * What to fit a lens on and where to put it: the same for {@code fit-lens} and the app's dialog.
 *
 * @param data         a dataset eval reads (each example's text) or a plain text file
 * @param out          the lens folder to write (new or empty)
 * @param maxTokens    at most this many tokens of the data, held-out ones included
 * @param ridge        the ridge penalty relative to the mean variance per dimension
 * @param heldOut      the share of documents kept out of the fit to measure it
 * @param refineSteps  KL-descent updates after the least-squares fit (0 = none)
 * @param refineLr     their peak learning rate
 */
public record LensFitRequest(Path data, Path out, long maxTokens, double ridge, double heldOut, int refineSteps,
        double refineLr) {
    public static final long DEFAULT_MAX_TOKENS = 100_000;
    /** Relative to the mean variance per dimension (see AffineLensFolder's ridge_definition). */
    public static final double DEFAULT_RIDGE = 1e-3;
    public static final double DEFAULT_HELD_OUT = 0.1;

    /** The checks that need no model; the first failure, naming its input. */
    public void check() {
        if (data == null) {
            throw new LensFitException(LensFitInput.DATA, w -> "Choose the text to fit on in " + w.name(LensFitInput.DATA)
                    + ": a text file or a dataset (e.g. stsa.binary.train).");
        }
        if (out == null) {
            throw new LensFitException(LensFitInput.OUT, w -> "Choose a folder for the lens in " + w.name(LensFitInput.OUT) + ".");
        }
        if (maxTokens < 2) {
            throw new LensFitException(LensFitInput.MAX_TOKENS, w -> w.name(LensFitInput.MAX_TOKENS) + " must be at least 2.");
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new LensFitException(LensFitInput.RIDGE, w -> w.name(LensFitInput.RIDGE) + " must be 0 or more (e.g. 1e-3), not "
                    + ridge + ".");
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new LensFitException(LensFitInput.HELD_OUT, w -> w.name(LensFitInput.HELD_OUT)
                    + " must be a fraction between 0 and 1 (e.g. 0.1), not " + heldOut + ".");
        }
        if (refineSteps < 0) {
            throw new LensFitException(LensFitInput.REFINE_STEPS, w -> w.name(LensFitInput.REFINE_STEPS)
                    + " must be 0 (no refinement) or more, not " + refineSteps + ".");
        }
        if (!(refineLr > 0) || Double.isInfinite(refineLr)) {
            throw new LensFitException(LensFitInput.REFINE_LR, w -> w.name(LensFitInput.REFINE_LR)
                    + " must be a positive learning rate (e.g. 1e-3), not " + refineLr + ".");
        }
    }

    public KlDescentSettings refinement() {
        return new KlDescentSettings(refineSteps, refineLr);
    }
}

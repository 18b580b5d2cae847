package dev.logitscope.eval;

import java.util.Locale;

/**
 * The final layer's accuracy with correct and with flipped demonstrations, and whether their gap
 * is larger than its noise: the gate in front of the critical layer.
 *
 * <p>The rule: the gap is reliable when the 95% Wilson intervals of the two final accuracies do
 * not overlap (correct's lower end above flipped's upper end). It is stricter than a two-proportion
 * test at 0.05, and the user can check it by eye against the intervals the table and summary.json
 * print. A mean over seeds or templates counts its examples once ({@code n} is the examples of one
 * run): seeds and templates see the same reviews, so they add no independent examples.
 *
 * @param correctN examples behind the correct accuracy
 * @param flippedN examples behind the flipped accuracy
 */
public record FinalGap(double correct, double flipped, int correctN, int flippedN) {

    public Wilson correctInterval() {
        return Wilson.of(correct, correctN);
    }

    public Wilson flippedInterval() {
        return Wilson.of(flipped, flippedN);
    }

    public boolean positive() {
        return correct - flipped > 0;
    }

    /** The gap is positive and the intervals do not overlap. */
    public boolean reliable() {
        Wilson c = correctInterval();
        Wilson f = flippedInterval();
        return positive() && c.defined() && f.defined() && c.lo() > f.hi();
    }

    /** The critical layer when the gap is reliable, else null. */
    public Integer gate(Integer criticalLayer) {
        return reliable() ? criticalLayer : null;
    }

    /** Why there is no critical layer ("no reliable gap: …"), or null when the gap is reliable. */
    public String reason() {
        if (reliable()) {
            return null;
        }
        String numbers = String.format(Locale.ROOT, "final accuracy correct %.3f %s (n = %d), flipped %.3f %s (n = %d)",
                correct, correctInterval().text(), correctN, flipped, flippedInterval().text(), flippedN);
        if (!positive()) {
            return "no gap: flipped demonstrations did not lower the final accuracy; " + numbers;
        }
        return "no reliable gap: the 95% intervals overlap; " + numbers;
    }
}

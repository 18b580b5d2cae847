package dev.logitscope.lens;

/**
 * How far a lens fit has come.
 *
 * @param phase       "fitting" (the pass that accumulates the sums), "solving", "held-out" (the
 *                    pass that measures the fitted lens), and with a refinement "refining step k/N" and
 *                    "held-out (refined)"
 * @param tokensDone  tokens run through the model so far, every pass
 * @param tokensTotal tokens of every pass
 * @param fraction    the share of the work done: elapsed / (elapsed + left) once there is an estimate,
 *                    before that the share of the estimated FLOPs; never decreasing
 * @param seconds     since the fit started
 * @param secondsLeft each kind of work's (fit pass, held-out pass, refinement step) remaining FLOPs at
 *                    that kind's rate so far (NaN before the first batch)
 */
public record FitProgress(String phase, long tokensDone, long tokensTotal, double fraction, double seconds,
        double secondsLeft) {}

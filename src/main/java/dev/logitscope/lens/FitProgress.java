package dev.logitscope.lens;

/**
 * How far a lens fit has come.
 *
 * @param phase       "fitting" (the pass that accumulates the sums), "solving", "held-out" (the
 *                    pass that measures the fitted lens), and with a refinement "refining step k/N" and
 *                    "held-out (refined)"
 * @param tokensDone  tokens run through the model so far, every pass
 * @param tokensTotal tokens of every pass
 * @param fraction    the share of the estimated work done (the held-out pass costs more per token:
 *                    it reads every layer through the unembedding twice)
 * @param seconds     since the fit started
 * @param secondsLeft estimated from the rate so far (NaN before the first batch)
 */
public record FitProgress(String phase, long tokensDone, long tokensTotal, double fraction, double seconds,
        double secondsLeft) {}

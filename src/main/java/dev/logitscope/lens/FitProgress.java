package dev.logitscope.lens;

/**
 * How far a lens fit has come.
 *
 * @param phase       "fitting" (the pass that accumulates the sums), "solving", or "held-out" (the
 *                    pass that measures the fitted lens)
 * @param tokensDone  tokens run through the model so far, both passes
 * @param tokensTotal tokens of both passes
 * @param fraction    the share of the estimated work done (the held-out pass costs more per token:
 *                    it reads every layer through the unembedding twice)
 * @param seconds     since the fit started
 * @param secondsLeft estimated from the rate so far (NaN before the first batch)
 */
public record FitProgress(String phase, long tokensDone, long tokensTotal, double fraction, double seconds,
        double secondsLeft) {}

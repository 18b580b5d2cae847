package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * One layer's verdict after contextual calibration, shown next to the raw one.
 *
 * @param normalizedPositive calibrated P(positive) over the two labels
 * @param logOdds            calibrated ln(p_pos / p_neg)
 * @param prediction         the calibrated prediction
 * @param correct            whether it matches the gold label, null without one
 */
public record Calibrated(double normalizedPositive, double logOdds, Sentiment prediction, Boolean correct) {}

package dev.logitscope.train;

/** How a run ended: {@code stopped} when asked to stop before its last epoch; {@code state} is the last checkpoint's. */
public record TrainingOutcome(TrainingState state, boolean stopped) {}

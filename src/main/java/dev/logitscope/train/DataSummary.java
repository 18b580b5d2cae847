package dev.logitscope.train;

/** Which data a run read, for its record: the file as given, its examples and tokens. */
public record DataSummary(String path, int examples, long tokens) {}

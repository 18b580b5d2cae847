package dev.logitscope.model;

/** The numbers of a model that the lens, the UI and the JSON output need, whatever the family. */
public record ModelShape(String family, int nLayer, int nEmbd, int nHead, int nPositions, int vocabSize, long parameters) {}

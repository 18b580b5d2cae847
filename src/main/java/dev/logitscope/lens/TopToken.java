package dev.logitscope.lens;

/** One of a layer's most likely next tokens. */
public record TopToken(int id, String token, double prob) {}

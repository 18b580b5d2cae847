package dev.logitscope.lens;

import dev.logitscope.model.ModelShape;

/**
 * A loaded model as the user sees it.
 *
 * @param source      what the user asked for (a folder or a hub id)
 * @param shape       layers, width, heads, context, vocabulary, parameters
 * @param weightBytes bytes of float32 weights held (memory-mapped for F32 checkpoints)
 * @param loadMillis  time to load weights and tokenizer
 */
public record ModelInfo(String source, ModelShape shape, long weightBytes, long loadMillis) {}

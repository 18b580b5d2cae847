package dev.logitscope.model;

import ai.djl.ndarray.NDArray;

/**
 * One weight of a model being fine-tuned: a float32 array libtorch owns (a copy, never a mapped
 * file), named as transformers' state dict names it.
 *
 * @param name      the transformers name, e.g. {@code transformer.h.0.attn.c_attn.weight}, {@code score.weight}
 * @param array     the leaf the forward pass reads; trainable ones require a gradient
 * @param trainable false for a frozen weight: no gradient, no optimizer state
 * @param decays    whether AdamW's weight decay applies (matrices; not biases and LayerNorm gains, as transformers' Trainer)
 */
public record TrainableParameter(String name, NDArray array, boolean trainable, boolean decays) {}

package dev.logitscope.prompt;

/**
 * A prompt cut to fit the model's context.
 *
 * @param prompt  the prompt that fits
 * @param tokens  its length in tokens
 * @param dropped how many demonstrations were dropped (from the front) to make it fit
 */
public record FittedPrompt(BuiltPrompt prompt, int tokens, int dropped) {}

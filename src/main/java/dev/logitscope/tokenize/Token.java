package dev.logitscope.tokenize;

/**
 * One token of a prompt.
 *
 * @param id      vocabulary id
 * @param text    the token's text as it appears in the prompt (may be part of a character when a
 *                multi-byte character spans tokens)
 * @param display the text with its whitespace made visible, for tables and heatmap labels
 * @param start   start index in the prompt, in Java {@code char}s (UTF-16), or -1 when unknown
 * @param end     end index (exclusive) in Java {@code char}s, or -1 when unknown
 */
public record Token(int id, String text, String display, int start, int end) {}

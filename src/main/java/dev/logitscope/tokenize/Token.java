package dev.logitscope.tokenize;

/**
 * One token of a prompt.
 *
 * @param id      vocabulary id
 * @param text    the token's text as it appears in the prompt (may be part of a character when a
 *                multi-byte character spans tokens); "" for a special token the tokenizer adds
 *                (OPT's BOS), which is not part of the prompt's text
 * @param display the text with its whitespace made visible, for tables and heatmap labels; a
 *                special token shows its name ({@code </s>})
 * @param start   start index in the prompt, in Java {@code char}s (UTF-16), or -1 when unknown
 *                (and for a special token)
 * @param end     end index (exclusive) in Java {@code char}s, or -1 when unknown
 * @param special whether the tokenizer added this token (a BOS) rather than read it from the text
 */
public record Token(int id, String text, String display, int start, int end, boolean special) {

    /** A token read from the text. */
    public Token(int id, String text, String display, int start, int end) {
        this(id, text, display, start, end, false);
    }

    /** A special token the tokenizer puts before the text (a BOS): no text, no offsets. */
    public static Token special(int id, String name) {
        return new Token(id, "", name, -1, -1, true);
    }
}

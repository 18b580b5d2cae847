package dev.logitscope.tokenize;

/**
 * Makes a token's whitespace visible: "␣" for a space, "↵" for a newline, "⇥" for a tab, and
 * any other control character as its Unicode control picture (U+2400 + c), so every token has
 * a printable form that is also valid in XML (SVG exports).
 *
 * <p>The one way token text is written for people and scripts: the JSON's {@code token} fields
 * ({@code tokens[]} and {@code top[]}, whose form scripts already relied on), the console tables,
 * the CSV exports and the plots all go through {@link #visible}.
 */
public final class TokenDisplay {
    private TokenDisplay() {}

    /** Control pictures for C0 controls and DEL; U+FFFD for C1 controls and XML's non-characters. */
    private static char printable(char c) {
        if (c < 0x20) {
            return (char) (0x2400 + c);
        }
        if (c == 0x7f) {
            return '\u2421';
        }
        if (c >= 0x80 && c < 0xa0 || c == 0xfffe || c == 0xffff) {
            return '\ufffd';
        }
        return c;
    }

    public static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> out.append('␣');
                case '\n' -> out.append('↵');
                case '\r' -> out.append('⏎');
                case '\t' -> out.append('⇥');
                default -> out.append(printable(c));
            }
        }
        return out.toString();
    }
}

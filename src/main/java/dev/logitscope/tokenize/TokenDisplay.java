package dev.logitscope.tokenize;

/** Makes a token's whitespace visible: "␣" for a space, "↵" for a newline, "⇥" for a tab. */
public final class TokenDisplay {
    private TokenDisplay() {}

    public static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ' -> out.append('␣');
                case '\n' -> out.append('↵');
                case '\r' -> out.append('⏎');
                case '\t' -> out.append('⇥');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

package dev.logitscope.prompt;

import java.util.Locale;

/** How many demonstrations precede the query: zero-shot, one-shot or few-shot (k). */
public record Shots(int k) {

    public static final int DEFAULT_FEW = 4;
    public static final Shots ZERO = new Shots(0);
    public static final Shots ONE = new Shots(1);

    public Shots {
        if (k < 0) {
            throw new PromptException("The number of demonstrations cannot be negative (got " + k + ").");
        }
    }

    public static Shots few(int k) {
        return new Shots(k);
    }

    public static Shots few() {
        return new Shots(DEFAULT_FEW);
    }

    /** Reads "0", "1", a number k, or "zero" / "one" / "few" (k = 4). */
    public static Shots parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "zero" -> { return ZERO; }
            case "one" -> { return ONE; }
            case "few" -> { return few(); }
            default -> { }
        }
        try {
            return new Shots(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new PromptException("Unknown shot count '" + text + "': write 0, 1, a number, or zero/one/few.");
        }
    }

    /** "zero-shot", "one-shot", "4-shot". */
    public String label() {
        return switch (k) {
            case 0 -> "zero-shot";
            case 1 -> "one-shot";
            default -> k + "-shot";
        };
    }
}

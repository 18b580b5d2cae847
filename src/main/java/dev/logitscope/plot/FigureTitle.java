package dev.logitscope.plot;

import java.nio.file.Path;

/**
 * What a picture must say to stand on its own in a paper or a slide.
 *
 * @param headline the model and the condition: "gpt2-large · 4-shot, flipped demo labels · logit lens"
 * @param detail   the input, shortened: "Review: “A tender, funny film …” · gold: positive"; empty for none
 */
public record FigureTitle(String headline, String detail) {
    /** Reviews longer than this are cut at a word and end in "…", so the quote fits two lines of a column. */
    static final int MAX_REVIEW_CHARS = 70;

    public FigureTitle {
        headline = headline == null ? "" : headline.strip();
        detail = detail == null ? "" : detail.strip();
    }

    /** Headline and detail on one line (the PDF's document title). */
    public String text() {
        return detail.isEmpty() ? headline : headline + " — " + detail;
    }

    /**
     * The name a reader knows a model by: a hub id as given ("gpt2", "org/name"), a local folder
     * by its own name rather than its whole path.
     */
    public static String modelName(String source) {
        if (source == null || source.isBlank()) {
            return "model";
        }
        String s = source.strip();
        boolean path = s.startsWith("/") || s.startsWith(".") || s.startsWith("~") || s.contains("\\")
                || s.chars().filter(c -> c == '/').count() > 1 || (s.length() > 1 && s.charAt(1) == ':');
        if (!path) {
            return s;
        }
        Path p = Path.of(s.replace('\\', '/')).normalize();
        Path name = p.getFileName();
        return name == null || name.toString().isEmpty() ? s : name.toString();
    }

    /** {@code text} on one line, cut at a word after at most {@value #MAX_REVIEW_CHARS} characters. */
    public static String shorten(String text) {
        String s = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        if (s.codePointCount(0, s.length()) <= MAX_REVIEW_CHARS) {
            return s;
        }
        int end = s.offsetByCodePoints(0, MAX_REVIEW_CHARS);
        int space = s.lastIndexOf(' ', end);
        String cut = s.substring(0, space > MAX_REVIEW_CHARS / 2 ? space : end).strip();
        return cut.replaceAll("[\\s,;:.]+$", "") + " …";
    }

    /** "Review: “…”" with the review shortened; "" for an empty review. */
    public static String quoted(String label, String text) {
        String s = shorten(text);
        return s.isEmpty() ? "" : label + ": “" + s + "”";
    }
}

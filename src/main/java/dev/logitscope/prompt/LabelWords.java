package dev.logitscope.prompt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One word per class, exactly as it is put into the prompt, in class order ({@link Sentiment#index}).
 * For label words that includes the leading space ({@code " positive"}), because GPT-2 predicts the
 * space together with the word. Two words are the default sentiment pair (positive first); a
 * template may declare more (e.g. SST-5's terrible, bad, okay, good, great).
 */
public record LabelWords(List<String> words) {

    /** The lens-reading default: lower-case words with their leading space. */
    public static final LabelWords LOWER = new LabelWords(" positive", " negative");
    /** The class names put into the loss method's prompt. */
    public static final LabelWords CLASS_NAMES = new LabelWords("positive", "negative");

    public LabelWords {
        if (words == null || words.size() < 2) {
            throw new PromptException("A label set needs at least two label words (got "
                    + (words == null ? 0 : words.size()) + ").");
        }
        if (words.size() > Sentiment.MAX_LABELS) {
            throw new PromptException("A label set takes at most " + Sentiment.MAX_LABELS + " label words (got "
                    + words.size() + ").");
        }
        Set<String> seen = new HashSet<>();
        for (String w : words) {
            if (w == null || w.isBlank()) {
                throw new PromptException("Label words must not be empty (got " + quoted(words) + ").");
            }
            if (!seen.add(w)) {
                throw new PromptException("Two classes have the label word '" + w + "'; give them different words.");
            }
        }
        words = List.copyOf(words);
    }

    /** The two-label pair, positive first. */
    public LabelWords(String positive, String negative) {
        this(pair(positive, negative));
    }

    public static LabelWords of(List<String> words) {
        return new LabelWords(words);
    }

    public int size() {
        return words.size();
    }

    public String positive() {
        return words.get(0);
    }

    public String negative() {
        return words.get(1);
    }

    public String word(Sentiment label) {
        if (label.index() >= words.size()) {
            throw new PromptException("Label " + label.index() + " is not one of the " + words.size() + " label words "
                    + quoted(words) + ".");
        }
        return words.get(label.index());
    }

    /**
     * The class's name in files and on the command line: "positive"/"negative" for two labels (as
     * always), the label word itself (stripped, lower case) for more.
     */
    public String name(Sentiment label) {
        return words.size() == 2 ? label.key() : words.get(label.index()).strip().toLowerCase(Locale.ROOT);
    }

    /** Every class's name, in class order. */
    public List<String> names() {
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            out.add(name(Sentiment.of(i)));
        }
        return List.copyOf(out);
    }

    /**
     * Reads a class: for two labels positive/negative/pos/neg/1/0 (SST-2's convention); for more, a
     * label's name (its word, any case) or its index 0..N−1 (SST-5's integers).
     */
    public Sentiment parse(String text) {
        if (words.size() == 2) {
            return Sentiment.parse(text);
        }
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        List<String> names = names();
        int at = names.indexOf(t);
        if (at >= 0) {
            return Sentiment.of(at);
        }
        if (t.matches("\\d{1,2}") && Integer.parseInt(t) < words.size()) {
            return Sentiment.of(Integer.parseInt(t));
        }
        throw new PromptException("Unknown label '" + text + "': write one of " + names + " (or 0.."
                + (words.size() - 1) + ").");
    }

    private static List<String> pair(String positive, String negative) {
        List<String> out = new ArrayList<>(2);
        out.add(positive);
        out.add(negative);
        return out;
    }

    private static String quoted(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            out.add("'" + w + "'");
        }
        return String.join(", ", out);
    }
}

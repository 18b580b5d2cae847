package dev.logitscope.prompt;

import java.util.Locale;

/**
 * A class of the task: its index in the template's label set. The two-label default (sentiment of
 * a movie review) has {@link #POSITIVE} = 0 and {@link #NEGATIVE} = 1, the order of every two-label
 * list; a template with N label words has the classes 0..N−1 in the order it declares them (an
 * SST-5 style template declares terrible..great, so SST-5's label integers are the indices).
 * Instances are shared, so {@code ==} compares classes as it did when this was an enum.
 */
public final class Sentiment implements Comparable<Sentiment> {

    /** The most label words a template may declare: a few-way classification, not a vocabulary. */
    public static final int MAX_LABELS = 32;

    private static final Sentiment[] ALL = new Sentiment[MAX_LABELS];

    static {
        for (int i = 0; i < MAX_LABELS; i++) {
            ALL[i] = new Sentiment(i);
        }
    }

    public static final Sentiment POSITIVE = ALL[0];
    public static final Sentiment NEGATIVE = ALL[1];

    private final int index;

    private Sentiment(int index) {
        this.index = index;
    }

    /** The class with this index in the label set. */
    public static Sentiment of(int index) {
        if (index < 0 || index >= MAX_LABELS) {
            throw new IllegalArgumentException("label index " + index + " outside 0.." + (MAX_LABELS - 1));
        }
        return ALL[index];
    }

    /** The two classes of the two-label default, positive first. */
    public static Sentiment[] values() {
        return new Sentiment[] {POSITIVE, NEGATIVE};
    }

    /** The first {@code n} classes, in label order. */
    public static Sentiment[] first(int n) {
        Sentiment[] out = new Sentiment[n];
        for (int i = 0; i < n; i++) {
            out[i] = of(i);
        }
        return out;
    }

    public int index() {
        return index;
    }

    /** The other class of the two-label default. */
    public Sentiment opposite() {
        return shifted(2);
    }

    /**
     * The "flipped" label among {@code n}: the fixed cyclic permutation i → (i + 1) mod n, which for
     * two labels is the opposite one.
     */
    public Sentiment shifted(int n) {
        if (index >= n) {
            throw new IllegalArgumentException("label " + index + " is not one of " + n + " labels");
        }
        return of((index + 1) % n);
    }

    /**
     * "positive" / "negative" for the two-label default, as written in files and on the command line;
     * other classes are named by their label words ({@link LabelWords#name}), so this gives their index.
     */
    public String key() {
        return switch (index) {
            case 0 -> "positive";
            case 1 -> "negative";
            default -> Integer.toString(index);
        };
    }

    /**
     * Reads "positive"/"negative" or "1"/"0" (SST-2's convention), ignoring case and surrounding
     * spaces.
     */
    public static Sentiment parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "positive", "pos", "1" -> POSITIVE;
            case "negative", "neg", "0" -> NEGATIVE;
            default -> throw new PromptException("Unknown label '" + text
                    + "': write positive or negative (or 1 or 0).");
        };
    }

    @Override
    public int compareTo(Sentiment other) {
        return Integer.compare(index, other.index);
    }

    @Override
    public String toString() {
        return index < 2 ? key().toUpperCase(Locale.ROOT) : "LABEL_" + index;
    }
}

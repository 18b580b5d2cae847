package dev.logitscope.eval;

import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.Sentiment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a dataset's label values become classes. Two labels (the default): positive/negative, pos/neg
 * or 1/0 (any case). A template of N label words: a label's name (its word) or its index 0..N−1,
 * so SST-5's integers 0..4 map onto a terrible..great template. With {@code --label-map
 * pos=positive,neg=negative} (or {@code 0=terrible,…}) exactly the listed values.
 */
public final class LabelMap {
    public static final LabelMap DEFAULT = new LabelMap(Map.of(), null);

    private final Map<String, Sentiment> explicit;
    /** The template's label words when there are more than two; null for the two-label default. */
    private final LabelWords words;

    private LabelMap(Map<String, Sentiment> explicit, LabelWords words) {
        this.explicit = Map.copyOf(explicit);
        this.words = words;
    }

    /** Reads {@code value=label,value=label}; null or blank gives the default mapping. */
    public static LabelMap parse(String spec) {
        return parse(spec, null);
    }

    /** As {@link #parse(String)} for a template with these label words (null or two: the default pair). */
    public static LabelMap parse(String spec, LabelWords labelWords) {
        LabelWords words = labelWords == null || labelWords.size() == 2 ? null : labelWords;
        if (spec == null || spec.isBlank()) {
            return words == null ? DEFAULT : new LabelMap(Map.of(), words);
        }
        Map<String, Sentiment> map = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP) + " takes value=label pairs"
                        + " such as pos=positive,neg=negative; '" + pair.strip() + "' has no '='.");
            }
            String value = normalize(pair.substring(0, eq));
            Sentiment label;
            try {
                String name = pair.substring(eq + 1);
                label = words == null ? Sentiment.parse(name) : words.parse(name);
            } catch (PromptException e) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP) + ": " + e.getMessage());
            }
            if (map.put(value, label) != null) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP) + " names the value '" + value
                        + "' twice.");
            }
        }
        if (words == null && (!map.containsValue(Sentiment.POSITIVE) || !map.containsValue(Sentiment.NEGATIVE))) {
            throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP)
                    + " must map at least one value to positive and one to negative.");
        }
        if (words != null && map.values().stream().distinct().count() < 2) {
            throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP)
                    + " must map values to at least two of the labels " + words.names() + ".");
        }
        return new LabelMap(map, words);
    }

    /** The class of a label value, or an error message naming what is accepted. */
    public Sentiment map(String value) {
        String key = normalize(value);
        if (explicit.isEmpty()) {
            try {
                return words == null ? Sentiment.parse(key) : words.parse(key);
            } catch (PromptException e) {
                String expected = words == null ? "positive/negative, pos/neg or 1/0"
                        : "one of " + words.names() + " or 0.." + (words.size() - 1);
                throw new EvalException(EvalInput.LABEL_MAP, w -> "unknown label '" + value + "': expected "
                        + expected + " (or " + w.turnOn(EvalInput.LABEL_MAP) + ").");
            }
        }
        Sentiment label = explicit.get(key);
        if (label == null) {
            throw new EvalException(EvalInput.LABEL_MAP, w -> "unknown label '" + value + "': "
                    + w.name(EvalInput.LABEL_MAP) + " knows " + explicit.keySet() + ".");
        }
        return label;
    }

    /** Canonical text for the run manifest. */
    public String spec() {
        if (explicit.isEmpty()) {
            return "default";
        }
        if (words == null) {
            return explicit.toString();
        }
        Map<String, String> named = new LinkedHashMap<>();
        explicit.forEach((value, label) -> named.put(value, words.name(label)));
        return named.toString();
    }

    private static String normalize(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        // JSON numbers come back as 1.0 from some writers
        return v.endsWith(".0") && v.length() > 2 && v.substring(0, v.length() - 2).matches("-?\\d+")
                ? v.substring(0, v.length() - 2) : v;
    }
}

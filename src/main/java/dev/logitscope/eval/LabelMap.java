package dev.logitscope.eval;

import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.Sentiment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a dataset's label values become sentiments: by default positive/negative, pos/neg or 1/0
 * (any case); with {@code --label-map pos=positive,neg=negative} exactly the listed values.
 */
public final class LabelMap {
    public static final LabelMap DEFAULT = new LabelMap(Map.of());

    private final Map<String, Sentiment> explicit;

    private LabelMap(Map<String, Sentiment> explicit) {
        this.explicit = Map.copyOf(explicit);
    }

    /** Reads {@code value=label,value=label}; null or blank gives the default mapping. */
    public static LabelMap parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return DEFAULT;
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
                label = Sentiment.parse(pair.substring(eq + 1));
            } catch (PromptException e) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP) + ": " + e.getMessage());
            }
            if (map.put(value, label) != null) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP) + " names the value '" + value
                        + "' twice.");
            }
        }
        if (!map.containsValue(Sentiment.POSITIVE) || !map.containsValue(Sentiment.NEGATIVE)) {
            throw new EvalException(EvalInput.LABEL_MAP, w -> w.name(EvalInput.LABEL_MAP)
                    + " must map at least one value to positive and one to negative.");
        }
        return new LabelMap(map);
    }

    /** The sentiment of a label value, or an error message naming what is accepted. */
    public Sentiment map(String value) {
        String key = normalize(value);
        if (explicit.isEmpty()) {
            try {
                return Sentiment.parse(key);
            } catch (PromptException e) {
                throw new EvalException(EvalInput.LABEL_MAP, w -> "unknown label '" + value + "': expected"
                        + " positive/negative, pos/neg or 1/0 (or " + w.turnOn(EvalInput.LABEL_MAP) + ").");
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
        return explicit.isEmpty() ? "default" : explicit.toString();
    }

    private static String normalize(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        // JSON numbers come back as 1.0 from some writers
        return v.endsWith(".0") && v.length() > 2 && v.substring(0, v.length() - 2).matches("-?\\d+")
                ? v.substring(0, v.length() - 2) : v;
    }
}

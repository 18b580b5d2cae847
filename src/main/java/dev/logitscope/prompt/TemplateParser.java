package dev.logitscope.prompt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code .template} format: one {@code key: value} per line, {@code #} comments, blank
 * lines ignored. Values are trimmed unless written in double quotes; inside a value {@code \n},
 * {@code \t}, {@code \"} and {@code \\} are escapes. See {@code sample-prompts/README.md}.
 */
final class TemplateParser {

    static final List<String> KEYS = List.of("name", "description", "instruction", "demonstration", "separator",
            "label.positive", "label.negative", "loss.prompt", "loss.positive", "loss.negative");
    private static final Set<String> REQUIRED = Set.of("name", "demonstration");
    /** label.0, label.1, …: the words of a set of N labels, in class order; loss.0, … their loss-method names. */
    private static final Pattern INDEXED = Pattern.compile("(label|loss)\\.(\\d{1,2})");

    private TemplateParser() {}

    /** Parses a template; {@code source} names the file in error messages. */
    static PromptTemplate parse(String source, String content) {
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw PromptException.at(source, lineNo, "expected 'key: value', got '" + line + "'.");
            }
            String key = line.substring(0, colon).strip();
            if (!KEYS.contains(key) && !isIndexedLabel(key)) {
                throw PromptException.at(source, lineNo, "unknown key '" + key + "'; the keys are " + KEYS
                        + ", or label.0, label.1, ... (and loss.0, loss.1, ...) for a set of more than two labels.");
            }
            if (values.containsKey(key)) {
                throw PromptException.at(source, lineNo, "'" + key + "' is given twice (first on line "
                        + lineOf.get(key) + ").");
            }
            values.put(key, value(source, lineNo, line.substring(colon + 1).strip()));
            lineOf.put(key, lineNo);
        }
        for (String key : KEYS) {
            if (REQUIRED.contains(key) && !values.containsKey(key)) {
                throw new PromptException(source + ": the required key '" + key + "' is missing.");
            }
        }
        // Check each field on its own first, so an error points at the line that caused it.
        check(source, lineOf, "demonstration", () -> PromptTemplate.checkDemonstration(values.get("demonstration")));
        if (values.containsKey("loss.prompt")) {
            check(source, lineOf, "loss.prompt", () -> PromptTemplate.checkLossPrompt(values.get("loss.prompt")));
        }
        LabelWords labels = indexed(source, lineOf, values, "label");
        LabelWords lossClasses;
        if (labels == null) {
            labels = words(source, lineOf, values, "label.positive", "label.negative", null);
            lossClasses = words(source, lineOf, values, "loss.positive", "loss.negative", LabelWords.CLASS_NAMES);
        } else {
            lossClasses = indexed(source, lineOf, values, "loss");
            if (lossClasses == null) {
                // The loss method names each class; without loss.N keys its label word is its name.
                lossClasses = new LabelWords(labels.words().stream().map(String::strip).toList());
            }
            if (lossClasses.size() != labels.size()) {
                throw new PromptException(source + ": " + lossClasses.size() + " loss.N names for " + labels.size()
                        + " label words; give one per label or none.");
            }
        }
        LabelWords declared = labels;
        check(source, lineOf, "demonstration",
                () -> PromptTemplate.checkLabelSpacing(values.get("demonstration"), declared));
        try {
            return new PromptTemplate(values.get("name"), values.get("description"), values.get("instruction"),
                    values.get("demonstration"), values.get("separator"), labels, values.get("loss.prompt"),
                    lossClasses);
        } catch (PromptException e) {
            throw new PromptException(source + ": " + e.getMessage(), e);
        }
    }

    private static boolean isIndexedLabel(String key) {
        return INDEXED.matcher(key).matches();
    }

    /**
     * The words of {@code prefix}.0, {@code prefix}.1, … in index order, or null when there are none.
     * They must be numbered from 0 without gaps and not be mixed with the two-label keys.
     */
    private static LabelWords indexed(String source, Map<String, Integer> lineOf, Map<String, String> values,
            String prefix) {
        Map<Integer, String> byIndex = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Matcher m = INDEXED.matcher(e.getKey());
            if (m.matches() && m.group(1).equals(prefix)) {
                byIndex.put(Integer.parseInt(m.group(2)), e.getValue());
            }
        }
        if (byIndex.isEmpty()) {
            return null;
        }
        int firstLine = lineOf.getOrDefault(prefix + "." + byIndex.keySet().iterator().next(), 0);
        if (values.containsKey(prefix + ".positive") || values.containsKey(prefix + ".negative")) {
            throw PromptException.at(source, firstLine, "use either " + prefix + ".positive/" + prefix
                    + ".negative (two labels) or " + prefix + ".0, " + prefix + ".1, ... (any number), not both.");
        }
        List<String> words = new ArrayList<>();
        for (int i = 0; i < byIndex.size(); i++) {
            String w = byIndex.get(i);
            if (w == null) {
                throw PromptException.at(source, firstLine, prefix + "." + i + " is missing: number the labels 0, 1, 2,"
                        + " ... without gaps.");
            }
            words.add(w);
        }
        try {
            return new LabelWords(words);
        } catch (PromptException e) {
            throw PromptException.at(source, firstLine, e.getMessage());
        }
    }

    private static LabelWords words(String source, Map<String, Integer> lineOf, Map<String, String> values,
            String positiveKey, String negativeKey, LabelWords fallback) {
        for (String key : new String[] {positiveKey, negativeKey}) {
            if (fallback == null && !values.containsKey(key)) {
                throw new PromptException(source + ": the required key '" + key + "' is missing (or give label.0,"
                        + " label.1, ... for a set of more than two labels).");
            }
        }
        String positive = values.getOrDefault(positiveKey, fallback == null ? null : fallback.positive());
        String negative = values.getOrDefault(negativeKey, fallback == null ? null : fallback.negative());
        try {
            return new LabelWords(positive, negative);
        } catch (PromptException e) {
            int line = lineOf.getOrDefault(negativeKey, lineOf.getOrDefault(positiveKey, 0));
            throw PromptException.at(source, line, e.getMessage());
        }
    }

    private static void check(String source, Map<String, Integer> lineOf, String key, Runnable check) {
        try {
            check.run();
        } catch (PromptException e) {
            throw PromptException.at(source, lineOf.getOrDefault(key, 0), e.getMessage());
        }
    }

    /** A raw value: quotes keep surrounding spaces, escapes become characters. */
    static String value(String source, int lineNo, String raw) {
        boolean quoted = raw.startsWith("\"");
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = quoted ? 1 : 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quoted && c == '"') {
                if (i != raw.length() - 1) {
                    throw PromptException.at(source, lineNo, "text after the closing quote: " + raw);
                }
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 == raw.length()) {
                throw PromptException.at(source, lineNo, "the value ends with a lone backslash; write \\\\ for one.");
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                default -> throw PromptException.at(source, lineNo, "unknown escape \\" + e
                        + "; use \\n (newline), \\t (tab), \\\" or \\\\.");
            }
        }
        if (quoted) {
            throw PromptException.at(source, lineNo, "a quoted value must end with a quote: " + raw);
        }
        return out.toString();
    }
}

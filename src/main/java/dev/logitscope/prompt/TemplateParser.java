package dev.logitscope.prompt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code .template} format: one {@code key: value} per line, {@code #} comments, blank
 * lines ignored. Values are trimmed unless written in double quotes; inside a value {@code \n},
 * {@code \t}, {@code \"} and {@code \\} are escapes. See {@code sample-prompts/README.md}.
 */
final class TemplateParser {

    static final List<String> KEYS = List.of("name", "description", "instruction", "demonstration", "separator",
            "label.positive", "label.negative", "loss.prompt", "loss.positive", "loss.negative");
    private static final Set<String> REQUIRED = Set.of("name", "demonstration", "label.positive", "label.negative");

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
            if (!KEYS.contains(key)) {
                throw PromptException.at(source, lineNo, "unknown key '" + key + "'; the keys are " + KEYS + ".");
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
        LabelWords labels = words(source, lineOf, values, "label.positive", "label.negative", null);
        LabelWords lossClasses = words(source, lineOf, values, "loss.positive", "loss.negative", LabelWords.CLASS_NAMES);
        check(source, lineOf, "demonstration",
                () -> PromptTemplate.checkLabelSpacing(values.get("demonstration"), labels));
        try {
            return new PromptTemplate(values.get("name"), values.get("description"), values.get("instruction"),
                    values.get("demonstration"), values.get("separator"), labels, values.get("loss.prompt"),
                    lossClasses);
        } catch (PromptException e) {
            throw new PromptException(source + ": " + e.getMessage(), e);
        }
    }

    private static LabelWords words(String source, Map<String, Integer> lineOf, Map<String, String> values,
            String positiveKey, String negativeKey, LabelWords fallback) {
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

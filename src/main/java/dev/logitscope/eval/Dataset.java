package dev.logitscope.eval;

import java.util.List;

/**
 * A dataset as read.
 *
 * @param source   the path, for messages
 * @param format   the layout it was read with
 * @param examples the examples, in file order
 * @param skipped  one {@code file:line: reason} per malformed record skipped with {@code --skip-bad}
 */
public record Dataset(String source, DatasetFormat format, List<Example> examples, List<String> skipped) {
    public Dataset {
        examples = List.copyOf(examples);
        skipped = List.copyOf(skipped);
    }

    public Dataset withExamples(List<Example> chosen) {
        return new Dataset(source, format, chosen, skipped);
    }
}

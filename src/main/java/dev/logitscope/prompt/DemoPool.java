package dev.logitscope.prompt;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The labelled reviews demonstrations are drawn from, in file order. */
public final class DemoPool {
    static final String RESOURCE = "/sample-prompts/demos.tsv";

    private final List<Demonstration> demos;
    private final int labelCount;

    /** A pool of the two-label default (positive/negative). */
    public DemoPool(List<Demonstration> demos) {
        this(demos, 2);
    }

    /** A pool whose demonstrations carry labels of a set of {@code labelCount} words. */
    public DemoPool(List<Demonstration> demos, int labelCount) {
        this.demos = List.copyOf(Objects.requireNonNull(demos, "demos"));
        this.labelCount = labelCount;
        for (Demonstration d : this.demos) {
            if (d.label().index() >= labelCount) {
                throw new IllegalArgumentException("label " + d.label().index() + " in a pool of " + labelCount);
            }
        }
    }

    /** The pool shipped with the app ({@code sample-prompts/demos.tsv}). */
    public static DemoPool builtIn() {
        return fromRows(LabelledTsv.readResource(RESOURCE, false));
    }

    /** A user's pool: {@code positive|negative|1|0 <TAB> review} per line. */
    public static DemoPool load(Path file) {
        return fromRows(LabelledTsv.read(file, false));
    }

    /** A user's pool for a template of N label words: each line's label is a label's name or index 0..N−1. */
    public static DemoPool load(Path file, LabelWords words) {
        if (words.size() == 2) {
            return load(file);
        }
        return fromRows(LabelledTsv.read(file, false, words), words.size());
    }

    private static DemoPool fromRows(List<LabelledTsv.Row> rows) {
        return fromRows(rows, 2);
    }

    private static DemoPool fromRows(List<LabelledTsv.Row> rows, int labelCount) {
        return new DemoPool(rows.stream().map(r -> new Demonstration(r.review(), r.label())).toList(), labelCount);
    }

    /** How many label words the pool's labels index into (2 for the positive/negative default). */
    public int labelCount() {
        return labelCount;
    }

    public List<Demonstration> all() {
        return demos;
    }

    public List<Demonstration> withLabel(Sentiment label) {
        return demos.stream().filter(d -> d.label() == label).toList();
    }

    public int size() {
        return demos.size();
    }
}

package dev.logitscope.prompt;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The labelled reviews demonstrations are drawn from, in file order. */
public final class DemoPool {
    static final String RESOURCE = "/sample-prompts/demos.tsv";

    private final List<Demonstration> demos;

    public DemoPool(List<Demonstration> demos) {
        this.demos = List.copyOf(Objects.requireNonNull(demos, "demos"));
    }

    /** The pool shipped with the app ({@code sample-prompts/demos.tsv}). */
    public static DemoPool builtIn() {
        return fromRows(LabelledTsv.readResource(RESOURCE, false));
    }

    /** A user's pool: {@code positive|negative|1|0 <TAB> review} per line. */
    public static DemoPool load(Path file) {
        return fromRows(LabelledTsv.read(file, false));
    }

    private static DemoPool fromRows(List<LabelledTsv.Row> rows) {
        return new DemoPool(rows.stream().map(r -> new Demonstration(r.review(), r.label())).toList());
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

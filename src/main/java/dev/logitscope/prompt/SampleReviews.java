package dev.logitscope.prompt;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The reviews to try first ({@code sample-prompts/samples.tsv}). */
public final class SampleReviews {
    static final String RESOURCE = "/sample-prompts/samples.tsv";

    private SampleReviews() {}

    public static List<SampleReview> builtIn() {
        return toSamples(LabelledTsv.readResource(RESOURCE, true));
    }

    public static List<SampleReview> load(Path file) {
        return toSamples(LabelledTsv.read(file, true));
    }

    private static List<SampleReview> toSamples(List<LabelledTsv.Row> rows) {
        return rows.stream().map(r -> new SampleReview(r.review(), Optional.ofNullable(r.label()))).toList();
    }
}

package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleFilesTest {

    @Test
    void demoPoolIsBalancedAndLargeEnough() {
        DemoPool pool = DemoPool.builtIn();
        assertThat(pool.size()).isGreaterThanOrEqualTo(40);
        assertThat(pool.withLabel(Sentiment.POSITIVE)).hasSizeGreaterThanOrEqualTo(20)
                .hasSameSizeAs(pool.withLabel(Sentiment.NEGATIVE));
        Set<String> distinct = pool.all().stream().map(d -> DemoSelector.normalize(d.review())).collect(Collectors.toSet());
        assertThat(distinct).hasSize(pool.size());
    }

    @Test
    void theFolderAndTheClasspathHoldTheSameFiles() {
        assertThat(DemoPool.load(Path.of("sample-prompts", "demos.tsv")).all()).isEqualTo(DemoPool.builtIn().all());
        assertThat(SampleReviews.load(Path.of("sample-prompts", "samples.tsv"))).isEqualTo(SampleReviews.builtIn());
    }

    @Test
    void samplesHaveExpectedLabelsAndAFewAmbiguousOnes() {
        List<SampleReview> samples = SampleReviews.builtIn();
        assertThat(samples).hasSizeGreaterThanOrEqualTo(20);
        assertThat(samples.stream().filter(s -> s.expected().equals(Optional.of(Sentiment.POSITIVE)))).hasSizeGreaterThanOrEqualTo(5);
        assertThat(samples.stream().filter(s -> s.expected().equals(Optional.of(Sentiment.NEGATIVE)))).hasSizeGreaterThanOrEqualTo(5);
        assertThat(samples.stream().filter(s -> s.expected().isEmpty())).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void noSampleIsAlsoADemonstration() {
        Set<String> demos = DemoPool.builtIn().all().stream().map(d -> DemoSelector.normalize(d.review()))
                .collect(Collectors.toSet());
        for (SampleReview s : SampleReviews.builtIn()) {
            assertThat(demos).doesNotContain(DemoSelector.normalize(s.review()));
        }
    }

    @Test
    void everyLineOfEveryFileParses() throws IOException {
        for (String name : List.of("demos.tsv", "samples.tsv")) {
            List<String> lines = Files.readAllLines(Path.of("sample-prompts", name));
            long content = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            List<LabelledTsv.Row> rows = LabelledTsv.parse(name, String.join("\n", lines), name.equals("samples.tsv"));
            assertThat(rows).as(name).hasSize((int) content);
            for (LabelledTsv.Row row : rows) {
                String raw = lines.get(row.line() - 1);
                assertThat(raw).as(name + ":" + row.line()).endsWith(row.review()).doesNotContain("  ");
            }
        }
        for (String name : TemplateLibrary.names()) {
            assertThat(TemplateLibrary.load(Path.of("sample-prompts", "templates", name + ".template")))
                    .isEqualTo(TemplateLibrary.builtIn(name));
        }
    }

    @Test
    void malformedDemoLinesGiveTheLineNumber(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pool.tsv");
        Files.writeString(file, "# pool\npositive\tGood.\nnegative Bad without a tab\n");
        assertThatThrownBy(() -> DemoPool.load(file)).isInstanceOf(PromptException.class)
                .hasMessageContaining("pool.tsv:3:").hasMessageContaining("no tab");
        Files.writeString(file, "positive\tGood.\n\nmaybe\tHmm.\n");
        assertThatThrownBy(() -> DemoPool.load(file)).isInstanceOf(PromptException.class)
                .hasMessageContaining("pool.tsv:3:").hasMessageContaining("Unknown label 'maybe'");
        Files.writeString(file, "positive\tGood.\n?\tNo label in a pool.\n");
        assertThatThrownBy(() -> DemoPool.load(file)).isInstanceOf(PromptException.class)
                .hasMessageContaining("pool.tsv:2:");
        Files.writeString(file, "1\tGood.\nnegative\t   \n");
        assertThatThrownBy(() -> DemoPool.load(file)).isInstanceOf(PromptException.class)
                .hasMessageContaining("pool.tsv:2:").hasMessageContaining("empty");
        Files.writeString(file, "1\tGood.\n0\tBad\tworse\n");
        assertThatThrownBy(() -> DemoPool.load(file)).isInstanceOf(PromptException.class)
                .hasMessageContaining("pool.tsv:2:").hasMessageContaining("tab");
        Files.writeString(file, "1\t Good. \r\n0\tBad.\r\n");
        assertThat(DemoPool.load(file).all()).containsExactly(new Demonstration("Good.", Sentiment.POSITIVE),
                new Demonstration("Bad.", Sentiment.NEGATIVE));
        assertThatThrownBy(() -> DemoPool.load(dir.resolve("missing.tsv"))).isInstanceOf(PromptException.class)
                .hasMessageContaining("missing.tsv");
    }
}

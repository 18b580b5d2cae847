package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateLibraryTest {

    static final String MINIMAL = """
            name: mini
            demonstration: Review: {review}\\nAnswer:{label}
            label.positive: " good"
            label.negative: " bad"
            """;

    @Test
    void builtInsLoadWithTheirDeclaredFields() {
        assertThat(TemplateLibrary.names()).startsWith("seed-notebook", "seed-movie-review", "review-sentiment",
                "review-answer").containsAll(TemplateLibrary.OVERTHINKING_SST2).hasSize(4 + 14);
        PromptTemplate seed = TemplateLibrary.builtIn("seed-notebook");
        assertThat(seed.name()).isEqualTo("seed-notebook");
        assertThat(seed.demonstration()).isEqualTo(
                "Text: {review}\nClassify the text into negative or positive sentiment.\nSentiment:{label}");
        assertThat(seed.queryFormat()).isEqualTo(
                "Text: {review}\nClassify the text into negative or positive sentiment.\nSentiment:");
        assertThat(seed.labels()).isEqualTo(new LabelWords(" positive", " negative"));
        assertThat(seed.separator()).isEqualTo("\n\n");
        assertThat(seed.instruction()).isEmpty();
        assertThat(TemplateLibrary.builtIn("review-sentiment").labels()).isEqualTo(new LabelWords(" Positive", " Negative"));
        assertThat(TemplateLibrary.builtIn("review-sentiment").queryFormat()).isEqualTo("Review: {review}\nSentiment:");
        assertThat(TemplateLibrary.builtIn("review-answer").labels()).isEqualTo(new LabelWords(" Positive", " Negative"));
        assertThat(TemplateLibrary.builtIn("review-answer").queryFormat()).isEqualTo("Review: {review}\nAnswer:");
        for (String name : TemplateLibrary.names()) {
            PromptTemplate t = TemplateLibrary.builtIn(name);
            assertThat(t.name()).isEqualTo(name);
            assertThat(t.description()).isNotBlank();
            assertThat(t.lossPrompt()).isEqualTo(PromptTemplate.DEFAULT_LOSS_PROMPT);
            assertThat(t.lossClasses()).isEqualTo(LabelWords.CLASS_NAMES);
        }
    }

    @Test
    void everyTemplateFileInTheFolderIsABuiltIn() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("sample-prompts", "templates"))) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".template", "")))
                    .containsExactlyInAnyOrderElementsOf(TemplateLibrary.names());
        }
    }

    @Test
    void resolveTakesANameOrAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mini.template");
        Files.writeString(file, MINIMAL);
        assertThat(TemplateLibrary.resolve("review-answer").name()).isEqualTo("review-answer");
        PromptTemplate mini = TemplateLibrary.resolve(file.toString());
        assertThat(mini.name()).isEqualTo("mini");
        assertThat(mini.separator()).isEqualTo(PromptTemplate.DEFAULT_SEPARATOR);
        assertThat(mini.lossPrompt()).isEqualTo("This is an example of {class} text: {review}");
        assertThatThrownBy(() -> TemplateLibrary.resolve("no-such-template"))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("no-such-template")
                .hasMessageContaining("seed-notebook");
        assertThatThrownBy(() -> TemplateLibrary.builtIn("nope")).isInstanceOf(PromptException.class);
    }

    @Test
    void valuesKeepQuotedSpacesAndUnescape() {
        PromptTemplate t = TemplateLibrary.parse("t", """
                # a comment

                name:   spaced
                description: says "hi" \\\\ bye
                instruction: "  Two\\tcolumns: a \\"quote\\"  "
                demonstration: In: {review}\\nOut:{label}
                separator: "\\n---\\n"
                label.positive: " yes"
                label.negative: " no"
                loss.prompt: {review} is {class}
                loss.positive: great
                loss.negative: awful
                """);
        assertThat(t.name()).isEqualTo("spaced");
        assertThat(t.description()).isEqualTo("says \"hi\" \\ bye");
        assertThat(t.instruction()).isEqualTo("  Two\tcolumns: a \"quote\"  ");
        assertThat(t.separator()).isEqualTo("\n---\n");
        assertThat(PromptBuilder.build(t, "fine", java.util.List.of(new Demonstration("ok", Sentiment.NEGATIVE)),
                DemoLabels.CORRECT, 0).text())
                .isEqualTo("  Two\tcolumns: a \"quote\"  \n---\nIn: ok\nOut: no\n---\nIn: fine\nOut:");
        LossPrompt loss = t.lossPrompt(Sentiment.NEGATIVE, " fine ");
        assertThat(loss.text()).isEqualTo("fine is awful");
        assertThat(loss.text().substring(loss.reviewStart(), loss.reviewEnd())).isEqualTo("fine");
    }

    @Test
    void lossPromptMarksTheReview() {
        PromptTemplate t = TemplateLibrary.builtIn("review-answer");
        LossPrompt loss = t.lossPrompt(Sentiment.POSITIVE, "Loved it.");
        assertThat(loss.text()).isEqualTo("This is an example of positive text: Loved it.");
        assertThat(loss.text().substring(loss.reviewStart(), loss.reviewEnd())).isEqualTo("Loved it.");
        assertThat(t.lossPrompt(Sentiment.NEGATIVE, "Loved it.").text())
                .isEqualTo("This is an example of negative text: Loved it.");
        PromptTemplate edited = t.withLossPrompt("Review ({class}): {review}");
        LossPrompt e = edited.lossPrompt(Sentiment.NEGATIVE, "Meh.");
        assertThat(e.text()).isEqualTo("Review (negative): Meh.");
        assertThat(e.text().substring(e.reviewStart(), e.reviewEnd())).isEqualTo("Meh.");
        assertThatThrownBy(() -> t.withLossPrompt("no class here: {review}")).isInstanceOf(PromptException.class);
    }

    @Test
    void labelOverrideChangesOnlyTheWords() {
        PromptTemplate t = TemplateLibrary.builtIn("review-answer").withLabels(new LabelWords(" great", " terrible"));
        assertThat(PromptBuilder.build(t, "x", java.util.List.of(new Demonstration("y", Sentiment.NEGATIVE)),
                DemoLabels.CORRECT, 0).text()).isEqualTo("Review: y\nAnswer: terrible.\n\nReview: x\nAnswer:");
        assertThatThrownBy(() -> new LabelWords(" same", " same")).isInstanceOf(PromptException.class);
        assertThatThrownBy(() -> new LabelWords("", " no")).isInstanceOf(PromptException.class);
    }

    static void assertError(String content, String... fragments) {
        var thrown = assertThatThrownBy(() -> TemplateLibrary.parse("bad.template", content))
                .isInstanceOf(PromptException.class);
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    @Test
    void malformedTemplatesNameTheFileAndLine() {
        assertError("name: x\nthis line has no colon\n", "bad.template:2:", "key: value");
        assertError("# c\nname: x\ncolour: red\n", "bad.template:3:", "unknown key 'colour'");
        assertError("name: x\nname: y\n", "bad.template:2:", "given twice (first on line 1)");
        assertError("name: x\ndemonstration: a\\qb\n", "bad.template:2:", "unknown escape \\q");
        assertError("name: x\nlabel.positive: \" yes\n", "bad.template:2:", "must end with a quote");
        assertError("name: x\nlabel.positive: \" yes\" no\n", "bad.template:2:", "after the closing quote");
        assertError("name: x\nseparator: oops\\\n", "bad.template:2:", "lone backslash");
        assertError(MINIMAL.replace("Answer:{label}", "Answer:"), "bad.template:2:", "{label} once");
        assertError(MINIMAL.replace("Review: {review}\\nAnswer:{label}", "{label} {review}"),
                "bad.template:2:", "{review} must come before {label}");
        assertError(MINIMAL.replace("Answer:{label}", "Answer: {label}"), "bad.template:2:", "space right before {label}");
        assertError(MINIMAL + "loss.prompt: {review} only\n", "bad.template:5:", "{class} once");
        assertError(MINIMAL.replace("\" bad\"", "\" good\""), "bad.template:4:", "different words");
        assertError("name: x\ndemonstration: {review}:{label}\n", "bad.template", "'label.positive' is missing");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> TemplateLibrary.load(dir.resolve("gone.template")))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("gone.template");
    }
}

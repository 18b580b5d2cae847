package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.eval.EvalJson;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code logitscope eval}: outputs, the summary table, resume and one-line user errors. */
class EvalCommandTest {
    @TempDir
    static Path dir;
    static Path modelA;
    static Path modelB;
    static Path sst2;

    @BeforeAll
    static void setUp() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        modelA = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(1).realTokenizer(tokenizer)
                .write(dir.resolve("small")).folder();
        modelB = TinyCheckpoint.builder().nLayer(3).nEmbd(24).nHead(2).nPositions(1024).seed(2).realTokenizer(tokenizer)
                .write(dir.resolve("larger")).folder();
    }

    private static String[] args(Path out, String... extra) {
        List<String> all = new ArrayList<>(List.of("eval", "--models", modelA + "," + modelB, "--dataset", sst2.toString(),
                "--limit", "4", "--shots", "0,2", "--demo-labels", "correct,flipped", "--seeds", "2", "--out", out.toString()));
        all.addAll(Arrays.asList(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void aDatasetWhoseOnlyReviewIsTooLongIsAnErrorNotACompleteRun() throws Exception {
        Path tiny = TinyCheckpoint.builder().nLayer(1).nEmbd(8).nHead(2).nPositions(32).seed(3)
                .realTokenizer(SharedFiles.gpt2TokenizerOrSkip()).write(dir.resolve("short-context")).folder();
        Path data = dir.resolve("long.sst2");
        Files.writeString(data, "1 " + "a long and winding review ".repeat(20) + "\n");
        Path out = dir.resolve("too-long");
        CliRunner result = CliRunner.run("eval", "--models", tiny.toString(), "--dataset", data.toString(),
                "--format", "sst2", "--shots", "0", "--out", out.toString());
        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.err()).contains("Nothing could be evaluated").contains("all 1 examples were skipped");
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.get("complete").getAsBoolean()).isFalse();
    }

    @Test
    void writesSummaryExamplesAndPlotsAndPrintsTheTable() throws Exception {
        Path out = dir.resolve("run");
        CliRunner result = CliRunner.run(args(out));
        assertThat(result.exitCode()).as(result.err()).isZero();

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        JsonArray conditions = summary.getAsJsonArray("conditions");
        assertThat(conditions).hasSize(2 * (1 + 2 * 2)); // per model: zero-shot once, 2 shots × 2 labels × 2 seeds
        JsonObject first = conditions.get(0).getAsJsonObject();
        assertThat(first.keySet()).containsAll(EvalJson.CONDITION_FIELDS);
        assertThat(first.get("model").getAsString()).isEqualTo(modelA.toString());
        assertThat(first.get("examples").getAsInt()).isEqualTo(4);
        assertThat(first.get("method").getAsString()).isEqualTo("next-token");
        JsonObject layer0 = first.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(layer0.keySet()).contains("layer", "accuracy", "calibrated_accuracy", "mean_p_gold", "overthinking_rate");
        assertThat(first.getAsJsonArray("layers")).hasSize(3);
        assertThat(conditions.get(5).getAsJsonObject().getAsJsonArray("layers")).hasSize(4);
        assertThat(first.has("critical_layer")).isTrue();
        assertThat(first.getAsJsonArray("final_accuracy_ci95")).hasSize(2);
        assertThat(first.getAsJsonArray("layers").get(0).getAsJsonObject().getAsJsonArray("accuracy_ci95")).hasSize(2);
        assertThat(summary.getAsJsonArray("aggregates").get(0).getAsJsonObject().get("examples").getAsInt()).isEqualTo(4);
        for (var c : conditions) {
            JsonObject o = c.getAsJsonObject();
            boolean pairedFlipped = !o.get("demo_labels").isJsonNull() && o.get("demo_labels").getAsString().equals("flipped");
            // a flipped condition has a critical layer or says why not; nothing else has either
            assertThat(!o.get("critical_layer").isJsonNull() || !o.get("critical_layer_reason").isJsonNull())
                    .isEqualTo(pairedFlipped);
        }
        // settling_layer: the first layer from which every later layer is within 0.02 of the final accuracy
        assertThat(summary.get("settling_layer_rule").getAsString()).contains("0.02");
        for (var c : conditions) {
            JsonArray layers = c.getAsJsonObject().getAsJsonArray("layers");
            double last = layers.get(layers.size() - 1).getAsJsonObject().get("accuracy").getAsDouble();
            int expected = 0;
            for (int l = 0; l < layers.size(); l++) {
                if (Math.abs(layers.get(l).getAsJsonObject().get("accuracy").getAsDouble() - last) > 0.02 + 1e-12) {
                    expected = l + 1;
                }
            }
            assertThat(c.getAsJsonObject().get("settling_layer").getAsInt()).isEqualTo(expected);
        }
        // ... and of each setting's seed-mean curve, which the table prints per model
        for (var a : summary.getAsJsonArray("aggregates")) {
            JsonArray layers = a.getAsJsonObject().getAsJsonArray("layers");
            double last = layers.get(layers.size() - 1).getAsJsonObject().getAsJsonObject("accuracy").get("mean").getAsDouble();
            int expected = 0;
            for (int l = 0; l < layers.size(); l++) {
                double mean = layers.get(l).getAsJsonObject().getAsJsonObject("accuracy").get("mean").getAsDouble();
                if (Math.abs(mean - last) > 0.02 + 1e-12) {
                    expected = l + 1;
                }
            }
            assertThat(a.getAsJsonObject().get("settling_layer_of_means").getAsInt()).isEqualTo(expected);
        }
        assertThat(result.out()).contains("settling layer (first layer from which accuracy stays within 0.02")
                .contains("  " + modelA + ": 0-shot layer ");
        assertThat(summary.get("complete").getAsBoolean()).isTrue();
        assertThat(summary.getAsJsonArray("models")).hasSize(2);
        assertThat(summary.get("examples_per_second").getAsDouble()).isPositive();

        List<String> csv = Files.readAllLines(out.resolve("examples.csv"));
        assertThat(csv.get(0)).isEqualTo("model,template,shots,demo_labels,seed,method,id,gold,layer,p_positive,"
                + "p_negative,normalized,prediction,calibrated");
        assertThat(csv).hasSize(1 + 4 * 5 * 3 + 4 * 5 * 4);

        for (String name : List.of("accuracy_by_layer", "accuracy_vs_size")) {
            byte[] png = Files.readAllBytes(out.resolve(name + ".png"));
            assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // the SVG names its DTD by URL; parse offline
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document svg = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(Files.readAllBytes(out.resolve(name + ".svg"))));
            assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
            assertThat(dev.logitscope.plot.Pdfs.read(out.resolve(name + ".pdf")).text())
                    .contains(name.equals("accuracy_by_layer") ? "Accuracy by layer" : "accuracy vs. model size");
        }
        assertThat(result.out()).contains("final-layer accuracy (next-token, mean ± std over 2 seeds)")
                .contains("0-shot").contains("2 correct").contains("2 flipped").contains("*")
                .contains("the worst model in the column").contains("ex/s");
        // n and the 95% Wilson interval of each cell: 4 examples; and a critical-layer line per model
        assertThat(result.out()).contains(" n ").contains("[lo,hi]: 95% Wilson interval")
                .contains("critical layer (first layer where correct - flipped >= half the final gap");
        // the indented lines under the critical-layer heading (the settling-layer block follows it)
        List<String> printed = result.out().lines().toList();
        int heading = printed.indexOf(printed.stream().filter(l -> l.startsWith("critical layer (")).findFirst().orElseThrow());
        List<String> criticalLines = printed.subList(heading + 1, printed.size()).stream()
                .takeWhile(l -> l.startsWith("  ")).toList();
        assertThat(criticalLines).isNotEmpty();
        for (String line : criticalLines) {
            assertThat(line).containsPattern(", 2 shots: (layer \\d+|no reliable gap: .*|no gap: .*)");
        }
        java.util.regex.Matcher cell = java.util.regex.Pattern.compile("(\\d\\.\\d{3})(?:±\\d\\.\\d{3})? \\[(\\d?\\.\\d{3}),(\\d?\\.\\d{3})\\]")
                .matcher(result.out());
        int cells = 0;
        while (cell.find()) {
            double p = Double.parseDouble(cell.group(1));
            double z = 1.959963984540054;
            double centre = (p + z * z / 8) / (1 + z * z / 4); // Wilson with n = 4
            double half = z / (1 + z * z / 4) * Math.sqrt(p * (1 - p) / 4 + z * z / 64);
            assertThat(Double.parseDouble(cell.group(2))).isCloseTo(Math.max(0, centre - half), org.assertj.core.api.Assertions.within(6e-4));
            assertThat(Double.parseDouble(cell.group(3))).isCloseTo(Math.min(1, centre + half), org.assertj.core.api.Assertions.within(6e-4));
            cells++;
        }
        assertThat(cells).isEqualTo(2 * 3);
        // one table row for the model (the critical-layer lines below the table are indented)
        assertThat(result.out().lines().filter(l -> l.contains(modelB.getFileName().toString()) && !l.startsWith("  ")))
                .hasSize(1);
        assertThat(result.err()).contains("4 examples from");

        // a second run into the same folder must not mix with this one
        CliRunner again = CliRunner.run(args(out));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("error:").contains("--resume");
        CliRunner otherOptions = CliRunner.run(args(out, "--resume", "--calibrate"));
        assertThat(otherOptions.exitCode()).isEqualTo(1);
        assertThat(otherOptions.err()).contains("calibrate was 'false', now 'true'");
        // resuming a finished run redoes nothing and gives the same summary
        String before = Files.readString(out.resolve("examples.csv"));
        CliRunner resumed = CliRunner.run(args(out, "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readString(out.resolve("examples.csv"))).isEqualTo(before);
        JsonObject again2 = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(again2.get("conditions")).isEqualTo(summary.get("conditions"));
    }

    @Test
    void userErrorsAreOneLineAndComeBeforeModelWork() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        CliRunner unwritable = CliRunner.run("eval", "--models", "no-such-model-anywhere", "--dataset", sst2.toString(),
                "--out", file.resolve("out").toString());
        assertThat(unwritable.exitCode()).isEqualTo(1);
        assertThat(unwritable.err()).startsWith("error: Cannot write to the output folder").doesNotContain("\tat ");

        Path bad = Files.writeString(dir.resolve("bad.csv"), "text,label\ngood film,1\n\"broken\"x,0\n");
        CliRunner badLine = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", bad.toString(),
                "--out", dir.resolve("bad-out").toString());
        assertThat(badLine.exitCode()).isEqualTo(1);
        assertThat(badLine.err()).startsWith("error: bad.csv:3: text after a closing quote").contains("--skip-bad")
                .doesNotContain("\tat ");

        CliRunner badShots = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(),
                "--shots", "two", "--out", dir.resolve("o2").toString());
        assertThat(badShots.exitCode()).isEqualTo(1);
        assertThat(badShots.err()).startsWith("error: Unknown shot count 'two'");

        CliRunner badFormat = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(),
                "--format", "parquet", "--out", dir.resolve("o3").toString());
        assertThat(badFormat.exitCode()).isEqualTo(1);
        assertThat(badFormat.err()).startsWith("error: Unknown dataset format 'parquet'");

        CliRunner badBatch = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(),
                "--batch", "0", "--out", dir.resolve("o4").toString());
        assertThat(badBatch.exitCode()).isEqualTo(1);
        assertThat(badBatch.err()).startsWith("error: --batch must be at least 1");
        assertThat(dir.resolve("o4")).doesNotExist();
    }

    @Test
    void skipBadContinuesAndTrainSplitGivesTheDemonstrations() throws Exception {
        Path data = Files.writeString(dir.resolve("mini.jsonl"),
                "{\"text\": \"a gorgeous film\", \"label\": 1}\n{oops}\n{\"text\": \"a dull film\", \"label\": 0}\n");
        Path train = SharedFiles.sst2OrSkip().resolve("stsa.binary.train");
        Path out = dir.resolve("skip");
        CliRunner result = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", data.toString(),
                "--skip-bad", "--train", train.toString(), "--shots", "4", "--demo-labels", "correct", "--out",
                out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("skipped mini.jsonl:2: not valid JSON").contains("2 examples from");
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.getAsJsonArray("conditions").get(0).getAsJsonObject().get("examples").getAsInt()).isEqualTo(2);
    }

    @Test
    void lossSpanIsAnOptionOfTheLossMethodAndIsRecorded() throws Exception {
        Path out = dir.resolve("loss-review");
        CliRunner result = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(), "--limit",
                "2", "--shots", "0", "--demo-labels", "correct", "--method", "loss", "--loss-span", "review", "--out",
                out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        JsonObject condition = summary.getAsJsonArray("conditions").get(0).getAsJsonObject();
        assertThat(condition.get("method").getAsString()).isEqualTo("loss");
        assertThat(condition.get("loss_span").getAsString()).isEqualTo("review");
        JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject();
        assertThat(manifest.getAsJsonObject("options").get("loss_span").getAsString()).isEqualTo("review");
        // a resume with the default span would mix two definitions
        CliRunner other = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(), "--limit",
                "2", "--shots", "0", "--demo-labels", "correct", "--method", "loss", "--out", out.toString(), "--resume");
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.err()).contains("loss_span was 'review', now 'whole'");

        CliRunner nextToken = CliRunner.run("eval", "--models", modelA.toString(), "--dataset", sst2.toString(),
                "--loss-span", "review", "--out", dir.resolve("no-loss").toString());
        assertThat(nextToken.exitCode()).isEqualTo(1);
        assertThat(nextToken.err()).startsWith("error:").contains("--method loss").doesNotContain("\tat ");
    }
}

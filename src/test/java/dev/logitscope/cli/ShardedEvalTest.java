package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --shard I/N} and {@code eval-merge}: four shards of a run merged are the unsharded
 * run, byte for byte (examples.csv, the plots, summary.json but for the time measurements and the
 * run section); merging what is finished says what is missing; shards of different runs are refused.
 */
class ShardedEvalTest {
    @TempDir
    static Path dir;
    static Path modelA;
    static Path modelB;
    static Path sst2;
    static Path whole;
    static List<Path> shards = new ArrayList<>();

    @BeforeAll
    static void runWholeAndShards() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        modelA = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(11).realTokenizer(tokenizer)
                .write(dir.resolve("small")).folder();
        modelB = TinyCheckpoint.builder().nLayer(3).nEmbd(32).nHead(2).nPositions(1024).seed(12).realTokenizer(tokenizer)
                .write(dir.resolve("larger")).folder();
        whole = dir.resolve("whole");
        CliRunner w = CliRunner.run(args(whole));
        assertThat(w.exitCode()).as(w.err()).isZero();
        for (int i = 0; i < 4; i++) {
            Path s = dir.resolve("shard" + i);
            CliRunner r = CliRunner.run(args(s, "--shard", i + "/4"));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("shard " + i + "/4 (--shard " + i + "/4)");
            shards.add(s);
        }
    }

    /**
     * 10 reviews in blocks of 6 (2 blocks per condition) and passes of 3 (the last of one review), 2 models × 3
     * conditions, calibration on.
     */
    private static String[] args(Path out, String... extra) {
        List<String> all = new ArrayList<>(List.of("eval", "--models", modelA + "," + modelB, "--dataset", sst2.toString(),
                "--limit", "10", "--shots", "0,2", "--demo-labels", "correct,flipped", "--calibrate", "--batch", "3", "--block", "6",
                "--out", out.toString()));
        all.addAll(Arrays.asList(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void theMergedShardsAreTheUnshardedRunByteForByte() throws Exception {
        Path merged = dir.resolve("merged");
        CliRunner m = CliRunner.run(concat(List.of("eval-merge"), shards, List.of("--out", merged.toString())));
        assertThat(m.exitCode()).as(m.err()).isZero();

        assertThat(Files.readString(merged.resolve("examples.csv"))).isEqualTo(Files.readString(whole.resolve("examples.csv")));
        assertThat(Files.readAllLines(merged.resolve("examples.csv"))).hasSize(1 + 10 * 3 * 3 + 10 * 3 * 4);
        for (String plot : List.of("accuracy_by_layer", "accuracy_vs_size")) {
            for (String ext : List.of(".png", ".svg", ".pdf")) {
                assertThat(withoutPdfDates(Files.readAllBytes(merged.resolve(plot + ext)))).as(plot + ext)
                        .isEqualTo(withoutPdfDates(Files.readAllBytes(whole.resolve(plot + ext))));
            }
        }
        String mergedSummary = Files.readString(merged.resolve("summary.json"));
        String wholeSummary = Files.readString(whole.resolve("summary.json"));
        assertThat(withoutMeasurements(mergedSummary)).isEqualTo(withoutMeasurements(wholeSummary));
        // the text of everything but the measured fields is the same too
        assertThat(mergedSummary.substring(0, mergedSummary.indexOf("\"models\"")))
                .isEqualTo(wholeSummary.substring(0, wholeSummary.indexOf("\"models\"")));
        JsonObject summary = JsonParser.parseString(mergedSummary).getAsJsonObject();
        assertThat(summary.get("complete").getAsBoolean()).isTrue();
        assertThat(summary.has("merge")).isFalse();
        assertThat(summary.getAsJsonObject("run").getAsJsonArray("shards")).hasSize(4);
        // every model's examples, counted once over the shards
        JsonArray models = summary.getAsJsonArray("models");
        JsonArray wholeModels = JsonParser.parseString(wholeSummary).getAsJsonObject().getAsJsonArray("models");
        for (int i = 0; i < 2; i++) {
            assertThat(models.get(i).getAsJsonObject().get("examples_computed"))
                    .isEqualTo(wholeModels.get(i).getAsJsonObject().get("examples_computed"));
        }
        assertThat(m.out()).contains("final-layer accuracy"); // the table, as eval prints it
        // the merged folder records the unsharded run's options and provenance
        JsonObject mergedManifest = JsonParser.parseString(Files.readString(merged.resolve("manifest.json"))).getAsJsonObject();
        JsonObject wholeManifest = JsonParser.parseString(Files.readString(whole.resolve("manifest.json"))).getAsJsonObject();
        assertThat(mergedManifest.get("options")).isEqualTo(wholeManifest.get("options"));
        assertThat(mergedManifest.get("provenance")).isEqualTo(wholeManifest.get("provenance"));
    }

    @Test
    void eachShardHoldsItsOwnBlocksAndTheyCoverTheRunOnce() throws Exception {
        int rows = 0;
        List<Double> shares = new ArrayList<>();
        for (Path s : shards) {
            JsonObject manifest = JsonParser.parseString(Files.readString(s.resolve("manifest.json"))).getAsJsonObject();
            assertThat(manifest.getAsJsonObject("options").get("shard").getAsString()).endsWith("/4");
            shares.add(manifest.getAsJsonObject("shard").get("estimated_share").getAsDouble());
            rows += Files.readAllLines(s.resolve("examples.csv")).size() - 1;
            assertThat(s.resolve("accuracy_by_layer.png")).doesNotExist(); // plots belong to the merge
        }
        assertThat(rows).isEqualTo(10 * 3 * 3 + 10 * 3 * 4);
        assertThat(shares.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // balanced by cost: each within one block (6 reviews of the larger model, about 1/12 of the work) of a quarter
        assertThat(shares).allSatisfy(x -> assertThat(x).isBetween(0.25 - 0.1, 0.25 + 0.1));
    }

    @Test
    void mergingWhatIsFinishedSaysWhatIsMissingAndWritesAPartialSummary() throws Exception {
        Path partial = dir.resolve("partial");
        CliRunner m = CliRunner.run(concat(List.of("eval-merge"), shards.subList(0, 3), List.of("--out", partial.toString())));
        assertThat(m.exitCode()).isEqualTo(1);
        assertThat(m.err()).contains("missing: shard 3/4 is missing").contains("partial merge");
        JsonObject summary = JsonParser.parseString(Files.readString(partial.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.get("complete").getAsBoolean()).isFalse();
        assertThat(summary.getAsJsonObject("merge").getAsJsonArray("missing").get(0).getAsString()).contains("3/4");
        assertThat(partial.resolve("accuracy_by_layer.png")).doesNotExist();
        // merging again with every shard replaces the partial merge
        CliRunner all = CliRunner.run(concat(List.of("eval-merge"), shards, List.of("--out", partial.toString())));
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(Files.readString(partial.resolve("examples.csv"))).isEqualTo(Files.readString(whole.resolve("examples.csv")));
    }

    @Test
    void shardsWhoseProvenanceOrOptionsDifferAreRefusedByName() throws Exception {
        Path tampered = dir.resolve("tampered");
        copy(shards.get(1), tampered);
        Path manifest = tampered.resolve("manifest.json");
        JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        root.getAsJsonObject("provenance").getAsJsonObject("program").addProperty("commit", "0123456789abcdef");
        Files.writeString(manifest, root.toString());
        CliRunner m = CliRunner.run("eval-merge", shards.get(0).toString(), tampered.toString(), shards.get(2).toString(),
                shards.get(3).toString(), "--out", dir.resolve("refused").toString());
        assertThat(m.exitCode()).isEqualTo(1);
        assertThat(m.err()).contains("provenance differs at program.commit").doesNotContain("Exception");

        root.getAsJsonObject("provenance").add("program",
                JsonParser.parseString(Files.readString(shards.get(0).resolve("manifest.json"))).getAsJsonObject()
                        .getAsJsonObject("provenance").get("program"));
        root.getAsJsonObject("options").addProperty("margin", "0.2");
        Files.writeString(manifest, root.toString());
        CliRunner o = CliRunner.run("eval-merge", shards.get(0).toString(), tampered.toString(), "--out",
                dir.resolve("refused2").toString());
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.err()).contains("option margin is '0.1'").contains("'0.2'");

        CliRunner twice = CliRunner.run("eval-merge", shards.get(0).toString(), shards.get(0).toString(), "--out",
                dir.resolve("refused3").toString());
        assertThat(twice.err()).contains("are both shard 0/4");
        CliRunner notShard = CliRunner.run("eval-merge", whole.toString(), "--out", dir.resolve("refused4").toString());
        assertThat(notShard.err()).contains("is not a shard");
    }

    /** Nodes of one cluster may mount the same data at different places; the content decides, not the path. */
    @Test
    void aShardThatSawTheDatasetAtAnotherPathMergesAndOneWithOtherContentIsRefusedByField() throws Exception {
        Path mounted = Files.createDirectories(dir.resolve("node-7/mnt/data")).resolve(sst2.getFileName());
        Files.copy(sst2, mounted);
        List<String> moved = new ArrayList<>(Arrays.asList(args(dir.resolve("moved-3"), "--shard", "3/4")));
        moved.set(moved.indexOf(sst2.toString()), mounted.toString());
        CliRunner r = CliRunner.run(moved.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path merged = dir.resolve("merged-mounts");
        CliRunner m = CliRunner.run(concat(List.of("eval-merge"), List.of(shards.get(0), shards.get(1), shards.get(2),
                dir.resolve("moved-3")), List.of("--out", merged.toString())));
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Files.readString(merged.resolve("examples.csv"))).isEqualTo(Files.readString(whole.resolve("examples.csv")));
        JsonObject file = JsonParser.parseString(Files.readString(whole.resolve("manifest.json"))).getAsJsonObject()
                .getAsJsonObject("provenance").getAsJsonObject("dataset").getAsJsonObject("file");
        assertThat(file.get("name").getAsString()).isEqualTo("stsa.binary.dev");
        assertThat(file.get("bytes").getAsLong()).isEqualTo(Files.size(sst2));
        assertThat(file.get("sha256").getAsString()).isEqualTo(sha256(sst2));

        // the same name and size, one letter changed in a review the shards never read
        Path other = Files.createDirectories(dir.resolve("node-8/mnt/data")).resolve(sst2.getFileName());
        List<String> lines = new ArrayList<>(Files.readAllLines(sst2));
        String last = lines.get(lines.size() - 1);
        char c = last.charAt(last.length() - 2);
        lines.set(lines.size() - 1, last.substring(0, last.length() - 2) + (c == 'x' ? 'y' : 'x') + last.charAt(last.length() - 1));
        Files.write(other, lines);
        assertThat(Files.size(other)).isEqualTo(Files.size(sst2));
        List<String> changed = new ArrayList<>(Arrays.asList(args(dir.resolve("changed-3"), "--shard", "3/4")));
        changed.set(changed.indexOf(sst2.toString()), other.toString());
        CliRunner c3 = CliRunner.run(changed.toArray(String[]::new));
        assertThat(c3.exitCode()).as(c3.err()).isZero();
        CliRunner refused = CliRunner.run(concat(List.of("eval-merge"), List.of(shards.get(0), dir.resolve("changed-3")),
                List.of("--out", dir.resolve("refused-content").toString())));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("provenance differs at dataset.file.sha256").doesNotContain("Exception");
    }

    @Test
    void aRunFolderRunsAgainExactlyFromItsManifest() throws Exception {
        Path again = dir.resolve("from-manifest");
        CliRunner r = CliRunner.run("eval", "--from-manifest", shards.get(1).resolve("manifest.json").toString(), "--out",
                again.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(again.resolve("examples.csv"))).isEqualTo(Files.readString(shards.get(1).resolve("examples.csv")));
        JsonObject a = JsonParser.parseString(Files.readString(again.resolve("manifest.json"))).getAsJsonObject();
        JsonObject b = JsonParser.parseString(Files.readString(shards.get(1).resolve("manifest.json"))).getAsJsonObject();
        assertThat(a.get("options")).isEqualTo(b.get("options"));
        assertThat(a.get("provenance")).isEqualTo(b.get("provenance"));
        // the same options give the same slice; a resume must name the same shard
        CliRunner other = CliRunner.run(args(again, "--shard", "2/4", "--resume"));
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.err()).contains("shard was '1/4', now '2/4'");
    }

    @Test
    void everySummaryRecordsItsProvenance() throws Exception {
        JsonObject summary = JsonParser.parseString(Files.readString(whole.resolve("summary.json"))).getAsJsonObject();
        JsonObject p = summary.getAsJsonObject("provenance");
        assertThat(p.getAsJsonObject("program").get("version").getAsString()).isNotBlank();
        JsonObject model = p.getAsJsonArray("models").get(0).getAsJsonObject();
        assertThat(model.get("source").getAsString()).isEqualTo("folder");
        assertThat(model.getAsJsonObject("sha256").get("model.safetensors").getAsString())
                .isEqualTo(sha256(modelA.resolve("model.safetensors")));
        assertThat(model.getAsJsonObject("sha256").get("tokenizer.json").getAsString())
                .isEqualTo(sha256(modelA.resolve("tokenizer.json")));
        assertThat(p.getAsJsonObject("dataset").get("examples").getAsInt()).isEqualTo(10);
        assertThat(p.getAsJsonArray("templates").get(0).getAsJsonObject().getAsJsonArray("label_words").get(0).getAsString())
                .isEqualTo(" positive");
        JsonObject demos = p.getAsJsonArray("demonstrations").get(0).getAsJsonObject();
        assertThat(demos.get("shots").getAsInt()).isEqualTo(2);
        assertThat(demos.getAsJsonArray("pool_indices")).hasSize(2);
        assertThat(p.get("lens").getAsString()).isEqualTo("logit");
        assertThat(p.get("precision").getAsString()).isEqualTo("float32");
        JsonObject run = summary.getAsJsonObject("run");
        assertThat(run.getAsJsonObject("machine").get("cores").getAsInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(run.get("started").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(run.get("ended").isJsonNull()).isFalse();
        JsonObject manifest = JsonParser.parseString(Files.readString(whole.resolve("manifest.json"))).getAsJsonObject();
        assertThat(manifest.get("provenance")).isEqualTo(p);
        // the pictures carry it too: a PNG iTXt chunk (read here from the chunks themselves) and SVG metadata
        String text = pngText(Files.readAllBytes(whole.resolve("accuracy_by_layer.png")), "logitscope:provenance");
        assertThat(JsonParser.parseString(text)).isEqualTo(p);
        String svg = Files.readString(whole.resolve("accuracy_vs_size.svg"));
        assertThat(svg).contains("<metadata><logitscope:entry").contains("key=\"logitscope:provenance\"")
                .contains("&quot;lens&quot;:&quot;logit&quot;");
        // and the PDFs, in their information dictionary and their XMP, as PDFBox reads them
        for (String plot : List.of("accuracy_by_layer", "accuracy_vs_size")) {
            dev.logitscope.plot.Pdfs.Metadata pdf = dev.logitscope.plot.Pdfs.metadata(whole.resolve(plot + ".pdf"));
            assertThat(JsonParser.parseString(pdf.info("logitscope:provenance"))).as(plot).isEqualTo(p);
            assertThat(JsonParser.parseString(pdf.xmp("provenance"))).as(plot).isEqualTo(p);
        }
    }

    /** The text of a PNG's iTXt chunk with {@code keyword} (uncompressed), walking the chunks per the PNG spec. */
    private static String pngText(byte[] png, String keyword) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            String type = new String(png, b.position(), 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int data = b.position() + 4;
            if (type.equals("iTXt")) {
                int k = data;
                while (png[k] != 0) {
                    k++;
                }
                String key = new String(png, data, k - data, java.nio.charset.StandardCharsets.ISO_8859_1);
                int at = k + 3; // NUL, compression flag, compression method
                while (png[at] != 0) {
                    at++; // language tag
                }
                at++;
                while (png[at] != 0) {
                    at++; // translated keyword
                }
                at++;
                if (key.equals(keyword) && png[k + 1] == 0) {
                    return new String(png, at, data + length - at, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            b.position(data + length + 4);
        }
        throw new AssertionError("no iTXt " + keyword);
    }

    /**
     * A PDF with its /CreationDate and /ModDate (the time it was written, which JFreePDF always
     * records) blanked to the same length; every other byte, the drawing included, is compared.
     */
    static byte[] withoutPdfDates(byte[] file) {
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        String blanked = text.replaceAll("/(CreationDate|ModDate) \\(D:\\d{14}[^)]*\\)",
                "/$1 (D:00000000000000+00'0')");
        return blanked.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** summary.json without what measures the run rather than computes results: seconds, rates, the run section. */
    static JsonObject withoutMeasurements(String summary) {
        JsonObject o = JsonParser.parseString(summary).getAsJsonObject();
        o.remove("run");
        o.remove("examples_per_second");
        for (JsonElement m : o.getAsJsonArray("models")) {
            m.getAsJsonObject().remove("seconds");
            m.getAsJsonObject().remove("examples_per_second");
        }
        return o;
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static String[] concat(List<String> head, List<Path> dirs, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        dirs.forEach(d -> all.add(d.toString()));
        all.addAll(tail);
        return all.toArray(String[]::new);
    }
}

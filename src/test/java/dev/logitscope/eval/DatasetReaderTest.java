package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.prompt.Sentiment;
import dev.logitscope.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every dataset layout, on real SST-2 files and on hand-made files with bad lines. */
class DatasetReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void realSst2DevFile() {
        Path sst2 = SharedFiles.sst2OrSkip();
        Dataset d = DatasetReader.read(DatasetSpec.of(sst2.resolve("stsa.binary.dev")));
        assertThat(d.format()).isEqualTo(DatasetFormat.SST2);
        assertThat(d.examples()).hasSize(872);
        assertThat(d.skipped()).isEmpty();
        Example first = d.examples().get(0);
        assertThat(first.id()).isEqualTo("1");
        assertThat(first.gold()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(first.text()).isEqualTo("one long string of cliches .");
        long positives = d.examples().stream().filter(e -> e.gold() == Sentiment.POSITIVE).count();
        assertThat(positives).isBetween(400L, 472L);
        assertThat(DatasetReader.read(DatasetSpec.of(sst2.resolve("stsa.binary.test"))).examples()).hasSize(1821);
    }

    @Test
    void sst2BadLineStopsWithItsLineNumberOrIsSkipped() throws Exception {
        Path p = file("mini.sst2", "1 a fine film\n\n0 dull\nx broken line\n1\n0 bad again\n");
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p).withFormat(DatasetFormat.SST2)))
                .isInstanceOf(EvalException.class).hasMessageStartingWith("mini.sst2:4: unknown label 'x'")
                .hasMessageContaining("--skip-bad");
        Dataset d = DatasetReader.read(DatasetSpec.of(p).withFormat(DatasetFormat.SST2).withSkipBad(true));
        assertThat(d.examples()).extracting(Example::id).containsExactly("1", "3", "6");
        assertThat(d.skipped()).hasSize(2);
        assertThat(d.skipped().get(0)).startsWith("mini.sst2:4:");
        assertThat(d.skipped().get(1)).startsWith("mini.sst2:5:");
    }

    private Path bytes(String name, byte[]... parts) throws Exception {
        Path p = dir.resolve(name);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        Files.write(p, out.toByteArray());
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void invalidUtf8NamesLineAndByteOffsetAndSkipBadSkipsOnlyThatLine() throws Exception {
        // Line 2 is Latin-1 ("café" with 0xE9): 17 bytes of line 1, then "0 caf", so the byte is at offset 22.
        Path p = bytes("mixed.sst2", utf8("1 très bon film\n"), utf8("0 caf"), new byte[] {(byte) 0xe9}, utf8(" tiède\n1 good\n"));
        assertThat(utf8("1 très bon film\n")).hasSize(17);
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p).withFormat(DatasetFormat.SST2)))
                .isInstanceOf(EvalException.class)
                .hasMessageStartingWith("mixed.sst2:2: not UTF-8 text: byte 0xE9 at byte offset 22 of the file (byte 6 of the line)")
                .hasMessageContaining("--skip-bad");
        Dataset d = DatasetReader.read(DatasetSpec.of(p).withFormat(DatasetFormat.SST2).withSkipBad(true));
        assertThat(d.examples()).extracting(Example::text).containsExactly("très bon film", "good");
        assertThat(d.skipped()).singleElement().asString().startsWith("mixed.sst2:2: not UTF-8");
    }

    @Test
    void invalidUtf8InACsvRecordAndInJsonl() throws Exception {
        Path csv = bytes("reviews.csv", utf8("text,label\n\"multi\nline ok\",1\n\"bad "), new byte[] {(byte) 0xff},
                utf8("\",0\nfine,1\n"));
        Dataset d = DatasetReader.read(DatasetSpec.of(csv).withSkipBad(true));
        assertThat(d.examples()).extracting(Example::text).containsExactly("multi\nline ok", "fine");
        assertThat(d.skipped()).singleElement().asString().startsWith("reviews.csv:4: not UTF-8");
        Path jsonl = bytes("r.jsonl", utf8("{\"text\": \"ok\", \"label\": 1}\n{\"text\": \""), new byte[] {(byte) 0xc3},
                utf8("\", \"label\": 0}\n"));
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(jsonl))).hasMessageStartingWith("r.jsonl:2: not UTF-8");
        assertThat(DatasetReader.read(DatasetSpec.of(jsonl).withSkipBad(true)).examples()).hasSize(1);
    }

    @Test
    void glueTsvWithHeader() throws Exception {
        Path p = file("train.tsv", "sentence\tlabel\nhide new secretions \t0\nthe greatest musicians \t1\nno label here\n");
        assertThat(DatasetFormat.detect(p)).isEqualTo(DatasetFormat.GLUE);
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p)))
                .hasMessageStartingWith("train.tsv:4: expected 2 fields");
        Dataset d = DatasetReader.read(DatasetSpec.of(p).withSkipBad(true));
        assertThat(d.examples()).containsExactly(new Example("2", "hide new secretions", Sentiment.NEGATIVE),
                new Example("3", "the greatest musicians", Sentiment.POSITIVE));
    }

    @Test
    void imdbCsvWithQuotesCommasAndNewlinesInsideFields() throws Exception {
        String csv = "review,sentiment\r\n"
                + "\"One of the best, truly.<br /><br />\"\"Wow\"\" I said\",positive\r\n"
                + "\"Line one\nline two, still the same review\",negative\r\n"
                + "plain review without quotes,positive\r\n";
        Path p = file("IMDB Dataset.csv", csv);
        assertThat(DatasetFormat.detect(p)).isEqualTo(DatasetFormat.IMDB_CSV);
        Dataset d = DatasetReader.read(DatasetSpec.of(p));
        assertThat(d.examples()).containsExactly(
                new Example("2", "One of the best, truly. \"Wow\" I said", Sentiment.POSITIVE),
                new Example("3", "Line one line two, still the same review", Sentiment.NEGATIVE),
                new Example("5", "plain review without quotes", Sentiment.POSITIVE));
    }

    @Test
    void csvErrorsNameTheRecordsFirstLine() throws Exception {
        Path p = file("r.csv", "text,label\n\"ok\",1\n\"bad\"x,0\n\"multi\nline\",maybe\nfine,0\n");
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p)))
                .hasMessageStartingWith("r.csv:3: text after a closing quote");
        Dataset d = DatasetReader.read(DatasetSpec.of(p).withSkipBad(true));
        assertThat(d.examples()).extracting(Example::text).containsExactly("ok", "fine");
        assertThat(d.examples()).extracting(Example::id).containsExactly("2", "6");
        assertThat(d.skipped()).hasSize(2);
        assertThat(d.skipped().get(1)).startsWith("r.csv:4: unknown label 'maybe'");

        Path open = file("open.csv", "text,label\nfine,1\n\"never closed,0\nmore,1\n");
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(open)))
                .hasMessageStartingWith("open.csv:3: a quoted field is never closed");
    }

    @Test
    void genericColumnsAndLabelMap() throws Exception {
        Path p = file("reviews.csv", "id,body,stars_label\n7,great fun,pos\n8,awful,neg\n9,meh,neutral\n");
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p)))
                .hasMessageContaining("reviews.csv:1:").hasMessageContaining("--text-col");
        DatasetSpec spec = DatasetSpec.of(p).withColumns("body", "stars_label")
                .withLabelMap(LabelMap.parse("pos=positive,neg=negative"));
        assertThatThrownBy(() -> DatasetReader.read(spec)).hasMessageStartingWith("reviews.csv:4: unknown label 'neutral'");
        Dataset d = DatasetReader.read(spec.withSkipBad(true));
        assertThat(d.examples()).extracting(Example::text, Example::gold).containsExactly(
                org.assertj.core.groups.Tuple.tuple("great fun", Sentiment.POSITIVE),
                org.assertj.core.groups.Tuple.tuple("awful", Sentiment.NEGATIVE));

        Path tsv = file("x.tsv", "label\ttext\n1\tgood \"quoted\" words\n0\tbad\n");
        assertThat(DatasetFormat.detect(tsv)).isEqualTo(DatasetFormat.TSV);
        assertThat(DatasetReader.read(DatasetSpec.of(tsv)).examples()).extracting(Example::text)
                .containsExactly("good \"quoted\" words", "bad");
    }

    @Test
    void jsonlWithNumbersBooleansAndBadLines() throws Exception {
        Path p = file("d.jsonl", "{\"text\": \"good\", \"label\": 1}\n{\"text\": \"bad\", \"label\": false}\n"
                + "{not json}\n[1,2]\n{\"review\": \"no label\"}\n{\"text\": \"ok\", \"label\": \"positive\"}\n");
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(p))).hasMessageStartingWith("d.jsonl:3: not valid JSON");
        Dataset d = DatasetReader.read(DatasetSpec.of(p).withSkipBad(true));
        assertThat(d.examples()).extracting(Example::text).containsExactly("good", "bad", "ok");
        assertThat(d.examples()).extracting(Example::gold)
                .containsExactly(Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.POSITIVE);
        assertThat(d.skipped()).extracting(s -> s.substring(0, s.indexOf(": ")))
                .containsExactly("d.jsonl:3", "d.jsonl:4", "d.jsonl:5");
        Path custom = file("c.jsonl", "{\"t\": \"fine\", \"y\": 1.0}\n");
        assertThat(DatasetReader.read(DatasetSpec.of(custom).withColumns("t", "y")).examples())
                .containsExactly(new Example("1", "fine", Sentiment.POSITIVE));
    }

    @Test
    void imdbFolderFromTheRootOrASplit() throws Exception {
        file("aclImdb/test/pos/0_10.txt", "Loved it.<br />Really.");
        file("aclImdb/test/pos/1_9.txt", "Great");
        file("aclImdb/test/neg/0_2.txt", "Terrible");
        file("aclImdb/test/neg/urls.lst", "not a review");
        Dataset root = DatasetReader.read(DatasetSpec.of(dir.resolve("aclImdb")));
        assertThat(root.format()).isEqualTo(DatasetFormat.IMDB_DIR);
        assertThat(root.examples()).containsExactly(new Example("pos/0_10.txt", "Loved it. Really.", Sentiment.POSITIVE),
                new Example("pos/1_9.txt", "Great", Sentiment.POSITIVE),
                new Example("neg/0_2.txt", "Terrible", Sentiment.NEGATIVE));
        assertThat(DatasetReader.read(DatasetSpec.of(dir.resolve("aclImdb/test"))).examples()).hasSize(3);
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(dir.resolve("aclImdb/test/pos"))))
                .hasMessageContaining("test/pos and test/neg");
    }

    @Test
    void detectionAndUnknownFormats() throws Exception {
        assertThat(DatasetFormat.detect(file("stsa.binary.dev", "1 good\n"))).isEqualTo(DatasetFormat.SST2);
        assertThat(DatasetFormat.detect(file("plain.txt", "0 bad movie\n"))).isEqualTo(DatasetFormat.SST2);
        assertThat(DatasetFormat.detect(file("data.jsonl", "{}\n"))).isEqualTo(DatasetFormat.JSONL);
        assertThatThrownBy(() -> DatasetFormat.detect(file("notes.txt", "hello\n"))).hasMessageContaining("--format");
        assertThatThrownBy(() -> DatasetFormat.detect(dir.resolve("missing.csv"))).hasMessageContaining("No dataset");
        assertThatThrownBy(() -> DatasetFormat.parse("xml")).hasMessageContaining("sst2, glue");
        Path latin1 = dir.resolve("l.sst2");
        Files.write(latin1, new byte[] {'1', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> DatasetReader.read(DatasetSpec.of(latin1).withFormat(DatasetFormat.SST2)))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void limitAndSeededSample() {
        List<Example> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(new Example(String.valueOf(i), "r" + i, i % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE));
        }
        assertThat(new Selection(5, null, 0).apply(all)).extracting(Example::id).containsExactly("0", "1", "2", "3", "4");
        List<Example> a = new Selection(null, 10, 42).apply(all);
        List<Example> b = new Selection(null, 10, 42).apply(all);
        List<Example> c = new Selection(null, 10, 43).apply(all);
        assertThat(a).hasSize(10).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).isSortedAccordingTo(java.util.Comparator.comparingInt(e -> Integer.parseInt(e.id())));
        assertThat(new Selection(3, 10, 42).apply(all)).isEqualTo(a.subList(0, 3));
        assertThat(new Selection(null, 100, 1).apply(all)).isEqualTo(all);
        assertThatThrownBy(() -> new Selection(0, null, 0)).hasMessageContaining("--limit");
    }

    @Test
    void labelMapSpecs() {
        assertThat(LabelMap.DEFAULT.map(" POS ")).isEqualTo(Sentiment.POSITIVE);
        assertThat(LabelMap.DEFAULT.map("0")).isEqualTo(Sentiment.NEGATIVE);
        assertThat(LabelMap.parse("1=negative,2=positive").map("2")).isEqualTo(Sentiment.POSITIVE);
        assertThatThrownBy(() -> LabelMap.parse("good")).hasMessageContaining("value=label");
        assertThatThrownBy(() -> LabelMap.parse("a=positive,b=positive")).hasMessageContaining("negative");
        assertThatThrownBy(() -> LabelMap.parse("a=great")).hasMessageContaining("Unknown label");
    }
}

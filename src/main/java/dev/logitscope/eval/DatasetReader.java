package dev.logitscope.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.logitscope.prompt.Sentiment;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads every dataset layout of {@link DatasetFormat} into examples. */
public final class DatasetReader {
    private static final List<String> TEXT_COLUMNS = List.of("text", "sentence", "review");
    private static final List<String> LABEL_COLUMNS = List.of("label", "sentiment");

    private DatasetReader() {}

    public static Dataset read(DatasetSpec spec) {
        DatasetFormat format = spec.resolvedFormat();
        Path path = spec.path();
        if (format == DatasetFormat.IMDB_DIR) {
            return ImdbFolder.read(spec);
        }
        if (!Files.isRegularFile(path)) {
            throw new EvalException(EvalInput.DATASET, w -> "No dataset file " + path + (Files.isDirectory(path)
                    ? " (it is a folder: for an aclImdb folder set " + w.name(EvalInput.FORMAT) + " to imdb-dir)." : "."));
        }
        Utf8Text decoded = Utf8Text.decode(readBytes(path));
        String content = decoded.text();
        Collector rows = new Collector(path.getFileName().toString(), spec, decoded.badLines());
        switch (format) {
            case SST2 -> sst2(content, rows);
            case GLUE, TSV -> delimited(tsvRecords(content), spec, rows, false);
            case IMDB_CSV -> delimited(Csv.parse(content, ','), spec, rows, true);
            case CSV -> delimited(Csv.parse(content, ','), spec, rows, false);
            case JSONL -> jsonl(content, spec, rows);
            default -> throw new IllegalStateException(format.toString());
        }
        return new Dataset(path.toString(), format, rows.examples(), rows.skipped());
    }

    /** The whole file as UTF-8 text; an invalid byte is an error that names its line and offset. */
    static String readText(Path path) {
        Utf8Text decoded = Utf8Text.decode(readBytes(path));
        if (!decoded.badLines().isEmpty()) {
            throw new EvalException(path + ", " + decoded.firstProblem());
        }
        return decoded.text();
    }

    private static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (AccessDeniedException e) {
            throw new EvalException("Cannot read " + path + ": permission denied.", e);
        } catch (IOException e) {
            throw new EvalException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code LABEL SENTENCE}: a 0/1 (or any mapped label), one space, the sentence. */
    private static void sst2(String content, Collector rows) {
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank() || rows.invalidUtf8(i + 1)) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                rows.bad(i + 1, "expected 'LABEL SENTENCE' (e.g. '1 a gorgeous film'), found no label and sentence.");
                continue;
            }
            rows.add(i + 1, String.valueOf(i + 1), line.substring(space + 1), line.substring(0, space));
        }
    }

    /** TSV has no quoting: every line is a record, every tab a separator. */
    private static List<Csv.Record> tsvRecords(String content) {
        List<Csv.Record> records = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (!line.isBlank()) {
                records.add(new Csv.Record(i + 1, List.of(line.split("\t", -1)), null));
            }
        }
        return records;
    }

    private static void delimited(List<Csv.Record> records, DatasetSpec spec, Collector rows, boolean imdb) {
        if (records.isEmpty()) {
            return;
        }
        Csv.Record header = records.get(0);
        if (header.error() != null) {
            throw EvalException.at(rows.source(), header.line(), "the header cannot be read: " + header.error());
        }
        Map.Entry<Integer, String> badHeader = rows.firstInvalidUtf8(header.line(),
                records.size() > 1 ? records.get(1).line() : Integer.MAX_VALUE);
        if (badHeader != null) {
            throw EvalException.at(rows.source(), badHeader.getKey(), "the header is " + badHeader.getValue());
        }
        int text = column(header, spec.textCol(), TEXT_COLUMNS, EvalInput.TEXT_COLUMN, rows.source());
        int label = column(header, spec.labelCol(), LABEL_COLUMNS, EvalInput.LABEL_COLUMN, rows.source());
        int width = header.fields().size();
        for (int k = 1; k < records.size(); k++) {
            Csv.Record r = records.get(k);
            int nextLine = k + 1 < records.size() ? records.get(k + 1).line() : Integer.MAX_VALUE;
            if (rows.hasInvalidUtf8(r.line(), nextLine)) {
                continue; // reported (or skipped) by the collector, naming the line
            } else if (r.error() != null) {
                rows.bad(r.line(), r.error());
            } else if (r.fields().size() != width) {
                rows.bad(r.line(), "expected " + width + " fields as in the header, found " + r.fields().size() + ".");
            } else {
                String review = r.fields().get(text);
                rows.add(r.line(), String.valueOf(r.line()), imdb ? ImdbFolder.clean(review) : review, r.fields().get(label));
            }
        }
    }

    private static int column(Csv.Record header, String wanted, List<String> defaults, EvalInput option, String source) {
        List<String> names = header.fields().stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
        if (wanted != null) {
            int i = names.indexOf(wanted.strip().toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw EvalException.at(source, header.line(), option, w -> "no column '" + wanted + "' in the header "
                        + header.fields() + "; set " + w.name(option) + " to one of them.");
            }
            return i;
        }
        for (String name : defaults) {
            int i = names.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        throw EvalException.at(source, header.line(), option, w -> "none of the columns " + header.fields()
                + " is one of " + defaults + "; " + w.turnOn(option) + ".");
    }

    private static void jsonl(String content, DatasetSpec spec, Collector rows) {
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank() || rows.invalidUtf8(i + 1)) {
                continue;
            }
            JsonObject object;
            try {
                JsonElement element = JsonParser.parseString(line);
                if (!element.isJsonObject()) {
                    rows.bad(i + 1, "expected a JSON object per line.");
                    continue;
                }
                object = element.getAsJsonObject();
            } catch (JsonParseException e) {
                rows.bad(i + 1, "not valid JSON (" + rootMessage(e) + ").");
                continue;
            }
            String text = field(object, spec.textCol(), TEXT_COLUMNS);
            String label = field(object, spec.labelCol(), LABEL_COLUMNS);
            if (text == null || label == null) {
                EvalInput missing = text == null ? EvalInput.TEXT_COLUMN : EvalInput.LABEL_COLUMN;
                String what = text == null ? "text field " + name(spec.textCol(), TEXT_COLUMNS)
                        : "label field " + name(spec.labelCol(), LABEL_COLUMNS);
                rows.bad(i + 1, w -> "no " + what + "; " + w.turnOn(missing) + ".", missing);
                continue;
            }
            rows.add(i + 1, String.valueOf(i + 1), text, label);
        }
    }

    private static String field(JsonObject object, String wanted, List<String> defaults) {
        for (String name : wanted != null ? List.of(wanted) : defaults) {
            JsonElement e = object.get(name);
            if (e != null && e.isJsonPrimitive()) {
                return e.getAsJsonPrimitive().isBoolean() ? (e.getAsBoolean() ? "1" : "0") : e.getAsString();
            }
        }
        return null;
    }

    private static String name(String wanted, List<String> defaults) {
        return wanted != null ? "'" + wanted + "'" : String.join("/", defaults);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** The IMDB layout: {@code <split>/pos/*.txt} and {@code <split>/neg/*.txt}. */
    static final class ImdbFolder {
        private ImdbFolder() {}

        static Dataset read(DatasetSpec spec) {
            Path root = spec.path();
            Path split = Files.isDirectory(root.resolve("pos")) ? root : root.resolve("test");
            if (!Files.isDirectory(split.resolve("pos")) || !Files.isDirectory(split.resolve("neg"))) {
                throw new EvalException("No IMDB reviews in " + root + ": expected test/pos and test/neg (an aclImdb"
                        + " folder) or pos and neg (a split folder).");
            }
            List<Example> examples = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Sentiment label : Sentiment.values()) {
                String sub = label == Sentiment.POSITIVE ? "pos" : "neg";
                for (Path file : files(split.resolve(sub))) {
                    String id = sub + "/" + file.getFileName();
                    Utf8Text decoded = Utf8Text.decode(readBytes(file));
                    String text = clean(decoded.text());
                    String problem = !decoded.badLines().isEmpty() ? file + ", " + decoded.firstProblem()
                            : text.isBlank() ? file + ": the review is empty." : null;
                    if (problem != null) {
                        String message = problem;
                        if (!spec.skipBad()) {
                            throw new EvalException(EvalInput.SKIP_BAD, w -> message + " Remove the file or "
                                    + w.turnOn(EvalInput.SKIP_BAD) + ".");
                        }
                        skipped.add(message);
                        continue;
                    }
                    examples.add(new Example(id, text, label));
                }
            }
            return new Dataset(root.toString(), DatasetFormat.IMDB_DIR, examples, skipped);
        }

        private static List<Path> files(Path folder) {
            try (Stream<Path> s = Files.list(folder)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".txt") && Files.isRegularFile(p))
                        .sorted().toList();
            } catch (IOException e) {
                throw new EvalException("Cannot list " + folder + ": " + e.getMessage(), e);
            }
        }

        /** IMDB reviews carry HTML line breaks; the model should see plain text. */
        static String clean(String review) {
            return review.replaceAll("(?i)<br\\s*/?>", " ").replaceAll("\\s+", " ").strip();
        }
    }

    /** Gathers examples; a bad line stops the read, or with --skip-bad is noted and passed over. */
    private static final class Collector {
        private final String source;
        private final DatasetSpec spec;
        private final List<Example> examples = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private final NavigableMap<Integer, String> invalidUtf8;

        Collector(String source, DatasetSpec spec, Map<Integer, String> invalidUtf8) {
            this.source = source;
            this.spec = spec;
            this.invalidUtf8 = new TreeMap<>(invalidUtf8);
        }

        /** Whether line {@code line} is not valid UTF-8 (then it is reported or skipped here). */
        boolean invalidUtf8(int line) {
            return hasInvalidUtf8(line, line + 1);
        }

        /** Whether a record on lines {@code [first, next)} holds invalid UTF-8 (then it is reported or skipped here). */
        boolean hasInvalidUtf8(int first, int next) {
            Map.Entry<Integer, String> bad = firstInvalidUtf8(first, next);
            if (bad != null) {
                bad(bad.getKey(), bad.getValue());
            }
            return bad != null;
        }

        /** The first line of {@code [first, next)} that is not valid UTF-8, with its problem, or null. */
        Map.Entry<Integer, String> firstInvalidUtf8(int first, int next) {
            Map.Entry<Integer, String> bad = invalidUtf8.ceilingEntry(first);
            return bad == null || bad.getKey() >= next ? null : bad;
        }

        String source() {
            return source;
        }

        void add(int line, String id, String text, String label) {
            if (text == null || text.isBlank()) {
                bad(line, "the review is empty.");
                return;
            }
            Sentiment gold;
            try {
                gold = spec.labelMap().map(label);
            } catch (EvalException e) {
                bad(line, e::message, e.input().orElse(EvalInput.SKIP_BAD));
                return;
            }
            examples.add(new Example(id, text, gold));
        }

        void bad(int line, String reason) {
            bad(line, w -> reason, EvalInput.SKIP_BAD);
        }

        /**
         * A bad line: an error about {@code input} (the label values when they do not cover the
         * line's label, else skipping bad lines), or with skip-bad a skipped line (its reason in plain words).
         */
        void bad(int line, EvalException.Wording reason, EvalInput input) {
            if (!spec.skipBad()) {
                throw EvalException.at(source, line, input, w -> reason.in(w) + " Fix the line or "
                        + w.turnOn(EvalInput.SKIP_BAD) + " to skip bad lines.");
            }
            skipped.add(source + ":" + line + ": " + reason.in(EvalWords.PLAIN));
        }

        List<Example> examples() {
            return examples;
        }

        List<String> skipped() {
            return skipped;
        }
    }
}

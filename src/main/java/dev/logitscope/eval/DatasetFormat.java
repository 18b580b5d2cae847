package dev.logitscope.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The dataset layouts the readers understand, with the names {@code --format} takes. */
public enum DatasetFormat {
    /** {@code LABEL SENTENCE} per line, 1 = positive (the {@code stsa.binary.*} files). */
    SST2("sst2"),
    /** GLUE's SST-2 TSV: a header, then {@code sentence<TAB>label}. */
    GLUE("glue"),
    /** The {@code aclImdb} folder ({@code test/pos/*.txt}, {@code test/neg/*.txt}) or one split folder. */
    IMDB_DIR("imdb-dir"),
    /** The IMDB CSV: a header {@code review,sentiment}, quoted fields. */
    IMDB_CSV("imdb-csv"),
    /** Any CSV with a header; columns from {@code --text-col}/{@code --label-col}. */
    CSV("csv"),
    /** Any TSV with a header (no quoting: a tab always separates). */
    TSV("tsv"),
    /** One JSON object per line. */
    JSONL("jsonl");

    private final String key;

    DatasetFormat(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static DatasetFormat parse(String text) {
        for (DatasetFormat f : values()) {
            if (f.key.equalsIgnoreCase(text == null ? "" : text.strip())) {
                return f;
            }
        }
        throw new EvalException(EvalInput.FORMAT, w -> "Unknown dataset format '" + text
                + "': write sst2, glue, imdb-dir, imdb-csv, csv, tsv or jsonl.");
    }

    /** Guesses the format from the path and, for CSV/TSV, the header line. */
    public static DatasetFormat detect(Path path) {
        if (Files.isDirectory(path)) {
            return IMDB_DIR;
        }
        if (!Files.isRegularFile(path)) {
            throw new EvalException("No dataset at " + path + ": give a file or an aclImdb folder.");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String first = firstLine(path).strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".tsv")) {
            return first.startsWith("sentence\t") ? GLUE : TSV;
        }
        if (name.endsWith(".csv")) {
            return first.replace("\"", "").startsWith("review,sentiment") ? IMDB_CSV : CSV;
        }
        if (name.startsWith("stsa.binary") || first.matches("[01] \\S.*")) {
            return SST2;
        }
        throw new EvalException(EvalInput.FORMAT, w -> "Cannot tell the format of " + path + " from its name; "
                + w.turnOn(EvalInput.FORMAT) + " (sst2, glue, imdb-dir, imdb-csv, csv, tsv or jsonl).");
    }

    /** The first non-blank line; invalid UTF-8 is replaced here, the reader reports it with its line. */
    private static String firstLine(Path path) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    return line.startsWith("\uFEFF") ? line.substring(1) : line;
                }
            }
            return "";
        } catch (IOException e) {
            throw new EvalException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}

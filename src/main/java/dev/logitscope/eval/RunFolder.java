package dev.logitscope.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code --out} folder of a run: {@code manifest.json} (the exact options and the models
 * seen), the append-only {@code examples.csv} and {@code summary.json}. A stopped run is
 * continued only with the same options; examples already in the file are not redone.
 */
public final class RunFolder implements AutoCloseable {
    public static final String MANIFEST = "manifest.json";
    public static final String EXAMPLES = "examples.csv";
    public static final String SUMMARY = "summary.json";
    private static final String FORMAT = "logitscope-eval/1";

    private final Path dir;
    private final Map<String, String> options;
    private final Map<String, ModelStats> models = new LinkedHashMap<>();
    /** Sections written beside the run's own in both manifest.json and summary.json (provenance, shard). */
    private final Map<String, JsonElement> sections = new LinkedHashMap<>();
    /** The manifest as found when resuming (null for a new run). */
    private JsonObject savedManifest;
    private final List<ExampleResult> loaded;
    private final int droppedRows;
    private BufferedWriter examples;
    /** examples.csv's first line: the two-label layout, or the per-label one of the run's templates. */
    private String header = ExamplesCsv.HEADER;

    private RunFolder(Path dir, Map<String, String> options, List<ExampleResult> loaded, int droppedRows) {
        this.dir = dir;
        this.options = options;
        this.loaded = List.copyOf(loaded);
        this.droppedRows = droppedRows;
    }

    /**
     * Prepares the folder before any model work: creates it, checks it is writable, and either
     * starts a new run (refusing a folder that holds one) or loads the run to resume (refusing
     * other options).
     *
     * @param options the run's options, exactly as they decide its results
     */
    public static RunFolder open(Path dir, Map<String, String> options, boolean resume) {
        return open(dir, options, resume, ExampleResult.TWO_LABELS);
    }

    /** As {@link #open(Path, Map, boolean)} for templates with these label names (examples.csv's columns). */
    public static RunFolder open(Path dir, Map<String, String> options, boolean resume, List<String> labelNames) {
        check(dir, options, resume);
        Map<String, String> sorted = new TreeMap<>(options);
        Path manifest = dir.resolve(MANIFEST);
        Path csv = dir.resolve(EXAMPLES);
        if (!resume) {
            RunFolder folder = new RunFolder(dir, sorted, List.of(), 0);
            folder.header = ExamplesCsv.header(labelNames, options.containsKey(ExamplesCsv.LENS));
            folder.saveManifest();
            folder.startExamples(List.of());
            return folder;
        }
        JsonObject saved = readManifest(manifest);
        Map<String, ModelStats> savedModels;
        try {
            savedModels = models(saved);
        } catch (RuntimeException e) { // a hand-edited manifest: wrong types or missing fields
            throw new EvalException(EvalInput.OUT, w -> manifest + " is not a valid Logitscope run manifest ("
                    + e.getMessage() + "); choose another " + w.name(EvalInput.OUT) + ".");
        }
        ExamplesCsv.Contents contents = Files.isRegularFile(csv)
                ? ExamplesCsv.parse(csv.toString(), DatasetReader.readText(csv))
                : new ExamplesCsv.Contents(List.of(), 0);
        // Keep examples with the model's full layer count: a cut-off last example is redone.
        List<ExampleResult> kept = new ArrayList<>();
        int dropped = contents.droppedRows();
        for (ExampleResult r : contents.results()) {
            ModelStats m = savedModels.get(r.condition().model());
            if (m != null && r.layers() == m.layers() + 1) {
                kept.add(r);
            } else {
                dropped += r.layers();
            }
        }
        RunFolder folder = new RunFolder(dir, sorted, kept, dropped);
        folder.header = ExamplesCsv.header(labelNames, options.containsKey(ExamplesCsv.LENS));
        folder.models.putAll(savedModels);
        folder.savedManifest = saved;
        folder.startExamples(kept);
        return folder;
    }

    /**
     * Checks, without writing anything, that the folder can take the run: writable, and either
     * free of a run (new) or holding one with the same options (resume). Call it before any model
     * work; {@link #open} calls it again.
     */
    public static void check(Path dir, Map<String, String> options, boolean resume) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new EvalException(EvalInput.OUT, w -> "Cannot write to the output folder " + dir + " ("
                    + e.getMessage() + "); choose a writable " + w.name(EvalInput.OUT) + ".");
        }
        Path manifest = dir.resolve(MANIFEST);
        if (!resume) {
            if (Files.exists(manifest) || Files.exists(dir.resolve(EXAMPLES))) {
                String holds = Files.exists(manifest) ? MANIFEST : EXAMPLES;
                throw new EvalException(EvalInput.OUT, w -> dir + " already holds a run (" + holds + "): "
                        + w.turnOn(EvalInput.RESUME) + " to continue it, or " + w.newRun() + ".");
            }
            return;
        }
        if (!Files.isRegularFile(manifest)) {
            throw new EvalException(EvalInput.RESUME, w -> "Nothing to resume in " + dir + " (no " + MANIFEST + "); "
                    + w.turnOff(EvalInput.RESUME) + ".");
        }
        try {
            checkSameOptions(dir, readManifest(manifest), new TreeMap<>(options));
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            throw new EvalException(EvalInput.OUT, w -> manifest + " is not a valid Logitscope run manifest ("
                    + e.getMessage() + "); choose another " + w.name(EvalInput.OUT) + ".");
        }
    }

    public Path dir() {
        return dir;
    }

    /** Results already in the folder (empty for a new run). */
    public List<ExampleResult> loaded() {
        return loaded;
    }

    /** Rows of a cut-off example dropped when resuming. */
    public int droppedRows() {
        return droppedRows;
    }

    /** Models seen so far, by name: their size and the time spent on them. */
    public Map<String, ModelStats> models() {
        return Map.copyOf(models);
    }

    /** A section of the manifest being resumed (null for a new run or when it has none). */
    public JsonElement savedSection(String key) {
        return savedManifest == null ? null : savedManifest.get(key);
    }

    /** Adds (or replaces) a section of manifest.json and of every summary.json written from now on. */
    public void section(String key, JsonElement value) {
        sections.put(key, value);
        saveManifest();
    }

    /** Records a model's size and throughput in the manifest. */
    public void model(ModelStats stats) {
        models.put(stats.name(), stats);
        saveManifest();
    }

    /** Appends one example's rows and flushes, so a stop never loses a finished example. */
    public void append(ExampleResult result) {
        try {
            examples.write(ExamplesCsv.rows(result, ExamplesCsv.hasLensColumn(header)));
            examples.flush();
        } catch (IOException e) {
            throw new EvalException("Cannot write " + dir.resolve(EXAMPLES) + ": " + e.getMessage(), e);
        }
    }

    public void writeSummary(EvalSummary summary) {
        if (sections.isEmpty()) {
            writeAtomically(dir.resolve(SUMMARY), EvalJson.write(summary));
            return;
        }
        JsonObject root = EvalJson.summary(summary);
        sections.forEach(root::add);
        writeAtomically(dir.resolve(SUMMARY), dev.logitscope.json.JsonText.pretty(root) + "\n");
    }

    @Override
    public void close() {
        if (examples != null) {
            try {
                examples.close();
            } catch (IOException e) {
                // the rows were flushed after every example
            }
            examples = null;
        }
    }

    /** A fresh file holds the header; a resumed one is rewritten with the kept rows only. */
    private void startExamples(List<ExampleResult> kept) {
        Path csv = dir.resolve(EXAMPLES);
        StringBuilder content = new StringBuilder(header).append('\n');
        kept.forEach(r -> content.append(ExamplesCsv.rows(r, ExamplesCsv.hasLensColumn(header))));
        writeAtomically(csv, content.toString());
        try {
            examples = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EvalException("Cannot write " + csv + ": " + e.getMessage(), e);
        }
    }

    private void saveManifest() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        JsonObject opts = new JsonObject();
        options.forEach(opts::addProperty);
        root.add("options", opts);
        JsonObject ms = new JsonObject();
        for (ModelStats m : models.values()) {
            JsonObject o = new JsonObject();
            o.addProperty("family", m.family());
            o.addProperty("readout", m.readout());
            o.addProperty("parameters", m.parameters());
            o.addProperty("layers", m.layers());
            o.addProperty("examples_computed", m.computed());
            o.addProperty("seconds", m.seconds());
            ms.add(m.name(), o);
        }
        root.add("models", ms);
        sections.forEach(root::add);
        writeAtomically(dir.resolve(MANIFEST),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n");
    }

    private static JsonObject readManifest(Path manifest) {
        try {
            JsonElement e = JsonParser.parseString(DatasetReader.readText(manifest));
            if (e.isJsonObject() && FORMAT.equals(string(e.getAsJsonObject(), "format"))
                    && e.getAsJsonObject().has("options")) {
                return e.getAsJsonObject();
            }
        } catch (JsonParseException | IllegalStateException e) {
            // reported below
        }
        throw new EvalException(EvalInput.OUT, w -> manifest + " is not a Logitscope run manifest; choose another "
                + w.name(EvalInput.OUT) + ".");
    }

    private static void checkSameOptions(Path dir, JsonObject saved, Map<String, String> now) {
        Map<String, String> before = new TreeMap<>();
        saved.getAsJsonObject("options").entrySet().forEach(e -> before.put(e.getKey(),
                e.getValue().isJsonNull() ? null : e.getValue().getAsString()));
        List<String> differences = new ArrayList<>();
        for (String key : new TreeSet<>(union(before, now))) {
            if (!Objects.equals(before.get(key), now.get(key))) {
                differences.add(key + " was " + show(before.get(key)) + ", now " + show(now.get(key)));
            }
        }
        if (!differences.isEmpty()) {
            throw new EvalException(EvalInput.RESUME, w -> "Cannot resume the run in " + dir + ": it was started with"
                    + " other settings (" + String.join("; ", differences) + "). Set them back and "
                    + w.turnOn(EvalInput.RESUME) + ", or " + w.newRun() + ".");
        }
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String show(String value) {
        return value == null ? "(not given)" : "'" + value + "'";
    }

    private static Map<String, ModelStats> models(JsonObject saved) {
        Map<String, ModelStats> out = new LinkedHashMap<>();
        JsonObject ms = saved.has("models") && saved.get("models").isJsonObject() ? saved.getAsJsonObject("models")
                : new JsonObject();
        for (Map.Entry<String, JsonElement> e : ms.entrySet()) {
            JsonObject o = e.getValue().getAsJsonObject();
            out.put(e.getKey(), new ModelStats(e.getKey(), o.has("family") ? o.get("family").getAsString() : "",
                    o.has("readout") ? o.get("readout").getAsString() : "", o.get("parameters").getAsLong(), o.get("layers").getAsInt(),
                    o.get("examples_computed").getAsLong(), o.get("seconds").getAsDouble()));
        }
        return out;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    /** Writes a temporary file beside the target and moves it into place: no half-written file. */
    private static void writeAtomically(Path target, String content) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new EvalException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

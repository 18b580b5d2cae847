package dev.logitscope.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.analysis.LossSpan;
import dev.logitscope.json.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code eval-merge}: the shards of one run ({@link ShardPlan}) put back together as the run
 * folder an unsharded run of the same command writes — examples.csv with the same rows in the same
 * order, summary.json with the same numbers (only the time measurements and the {@code run}
 * section, which say where and how long the work ran, differ). The shards must come from the same
 * options and provenance (program, models, dataset, pool…); the first difference is named.
 *
 * <p>Incremental: with shards missing or unfinished, the merge writes a partial summary.json
 * ({@code "complete": false} and a {@code "merge"} section listing what is missing) and
 * examples.csv of the rows finished so far, and no plots; merging again when they are done
 * replaces it.
 */
public final class EvalMerge {
    static final String MERGE = "merge";

    /**
     * What a merge found and wrote.
     *
     * @param missing one line per missing or unfinished shard (empty when complete)
     */
    public record Result(EvalSummary summary, List<String> missing, String datasetName, int shards) {
        public boolean complete() {
            return missing.isEmpty() && summary.complete();
        }
    }

    /** One shard folder as read. */
    private record ShardDir(Path dir, JsonObject manifest, Map<String, String> options, JsonObject shard, boolean complete,
            List<ExampleResult> rows) {
        int index() {
            return shard.get("index").getAsInt();
        }

        int count() {
            return shard.get("count").getAsInt();
        }
    }

    private EvalMerge() {}

    public static Result merge(List<Path> dirs, Path out) {
        if (dirs.isEmpty()) {
            throw new EvalException("Name the shard folders to merge (each written by eval --shard I/N).");
        }
        List<ShardDir> shards = new ArrayList<>();
        for (Path d : dirs) {
            shards.add(read(d));
        }
        ShardDir first = shards.get(0);
        int count = first.count();
        Map<Integer, ShardDir> byIndex = new TreeMap<>();
        for (ShardDir s : shards) {
            if (s.count() != count) {
                throw new EvalException(s.dir() + " is shard " + s.index() + "/" + s.count() + " but " + first.dir()
                        + " is " + first.index() + "/" + count + ": the shards come from runs cut differently.");
            }
            ShardDir twin = byIndex.put(s.index(), s);
            if (twin != null) {
                throw new EvalException(twin.dir() + " and " + s.dir() + " are both shard " + s.index() + "/" + count
                        + "; name each shard once.");
            }
            sameRun(first, s);
        }
        checkOut(out, dirs);

        // Every condition in run order and each shard's blocks of it.
        JsonArray conditionsJson = first.shard().getAsJsonArray("conditions");
        int block = first.shard().get("block").getAsInt();
        int examples = first.shard().get("examples").getAsInt();
        List<Condition> conditions = new ArrayList<>();
        for (JsonElement e : conditionsJson) {
            conditions.add(ConditionJson.read(e.getAsJsonObject()));
        }
        int blocksPerCondition = (examples + block - 1) / block;
        Map<String, int[]> owner = new HashMap<>(); // condition key → shard index per block (-1: none seen)
        for (Condition c : conditions) {
            int[] o = new int[blocksPerCondition];
            java.util.Arrays.fill(o, -1);
            owner.put(c.key(), o);
        }
        for (ShardDir s : byIndex.values()) {
            JsonArray cs = s.shard().getAsJsonArray("conditions");
            for (int i = 0; i < cs.size(); i++) {
                int[] o = owner.get(conditions.get(i).key());
                for (JsonElement r : cs.get(i).getAsJsonObject().getAsJsonArray("blocks")) {
                    for (int b = r.getAsJsonArray().get(0).getAsInt(); b <= r.getAsJsonArray().get(1).getAsInt(); b++) {
                        if (b < 0 || b >= o.length || o[b] >= 0) {
                            throw new EvalException("Shards " + (b >= 0 && b < o.length ? o[b] + " and " : "") + s.index()
                                    + " both claim block " + b + " of " + conditions.get(i).model() + " ("
                                    + conditions.get(i).setting() + "): they were planned differently; run them again"
                                    + " with the same program, options and models.");
                        }
                        o[b] = s.index();
                    }
                }
            }
        }

        List<String> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ShardDir s = byIndex.get(i);
            if (s == null) {
                missing.add("shard " + i + "/" + count + " is missing");
            } else if (!s.complete()) {
                missing.add("shard " + i + "/" + count + " (" + s.dir() + ") is not finished: " + s.rows().size() + " of "
                        + owned(s, conditions, block, examples) + " example results; continue it with eval --resume");
            }
        }
        if (missing.isEmpty()) {
            for (Condition c : conditions) {
                for (int b = 0; b < blocksPerCondition; b++) {
                    if (owner.get(c.key())[b] < 0) {
                        throw new EvalException("No shard computes block " + b + " of " + c.model() + " (" + c.setting()
                                + "): the shards were planned differently; run them again with the same program,"
                                + " options and models.");
                    }
                }
            }
        }

        // Rows in the unsharded order: condition by condition, each shard's blocks in shard order
        // (a shard's blocks of a condition are contiguous and in order, ShardPlan).
        Map<String, Integer> layers = new HashMap<>();
        Map<String, ModelStats> models = models(byIndex.values(), first.options().get("models"), layers);
        Map<String, List<ExampleResult>> byCondition = new LinkedHashMap<>();
        Map<String, Integer> skipped = new HashMap<>();
        boolean lensColumn = first.options().containsKey(ExamplesCsv.LENS);
        String header = ExamplesCsv.header(byIndex.values().stream().flatMap(s -> s.rows().stream()).limit(1).toList());
        StringBuilder csv = new StringBuilder(header).append(lensColumn ? "," + ExamplesCsv.LENS : "").append('\n');
        for (Condition c : conditions) {
            List<ExampleResult> rs = new ArrayList<>();
            for (ShardDir s : byIndex.values()) {
                int got = 0;
                for (ExampleResult r : s.rows()) {
                    if (r.condition().equals(c) && r.layers() == layers.getOrDefault(c.model(), -1) + 1) {
                        rs.add(r);
                        got++;
                    }
                }
                if (s.complete()) {
                    skipped.merge(c.key(), ownedOf(s, conditions.indexOf(c), block, examples) - got, Integer::sum);
                }
            }
            rs.forEach(r -> csv.append(ExamplesCsv.rows(r, lensColumn)));
            if (!rs.isEmpty()) {
                byCondition.put(c.key(), rs);
            }
        }
        boolean complete = missing.isEmpty();
        if (complete) {
            for (Condition c : conditions) {
                if (!byCondition.containsKey(c.key())) {
                    throw new EvalException("Nothing could be evaluated for " + c.model() + " (" + c.setting() + "): all "
                            + examples + " examples were skipped in every shard.");
                }
            }
        }
        String spanKey = first.options().get("loss_span");
        EvalSummary summary = SummaryBuilder.build(conditions, byCondition, skipped,
                List.copyOf(models.values()), Double.parseDouble(first.options().get("margin")), complete)
                .withLossSpan(spanKey == null ? null : LossSpan.parse(spanKey));

        write(out, first, byIndex.values(), summary, csv.toString(), missing, models);
        Path dataset = Path.of(first.options().get("dataset"));
        return new Result(summary, missing, dataset.getFileName() == null ? dataset.toString()
                : dataset.getFileName().toString(), count);
    }

    private static int owned(ShardDir s, List<Condition> conditions, int block, int examples) {
        int n = 0;
        for (int i = 0; i < conditions.size(); i++) {
            n += ownedOf(s, i, block, examples);
        }
        return n;
    }

    private static int ownedOf(ShardDir s, int condition, int block, int examples) {
        int n = 0;
        for (JsonElement r : s.shard().getAsJsonArray("conditions").get(condition).getAsJsonObject().getAsJsonArray("blocks")) {
            for (int b = r.getAsJsonArray().get(0).getAsInt(); b <= r.getAsJsonArray().get(1).getAsInt(); b++) {
                n += Math.min(examples, (b + 1) * block) - b * block;
            }
        }
        return n;
    }

    /** Same options (but the shard), same provenance, same plan layout: else the first difference, named. */
    private static void sameRun(ShardDir a, ShardDir b) {
        Map<String, String> oa = withoutMounts(a.options());
        Map<String, String> ob = withoutMounts(b.options());
        if (!oa.equals(ob)) {
            List<String> keys = new ArrayList<>(new java.util.TreeSet<>(oa.keySet()));
            ob.keySet().stream().filter(k -> !oa.containsKey(k)).forEach(keys::add);
            for (String k : keys) {
                if (!java.util.Objects.equals(oa.get(k), ob.get(k))) {
                    throw new EvalException("The shards come from different runs: option " + k + " is " + show(oa.get(k))
                            + " in " + a.dir() + " but " + show(ob.get(k)) + " in " + b.dir() + ".");
                }
            }
        }
        JsonDiff.first(a.manifest().get(Provenance.SECTION), b.manifest().get(Provenance.SECTION)).ifPresent(d -> {
            throw new EvalException("The shards' provenance differs at " + d.describe(a.dir().toString(), b.dir().toString())
                    + ": they were computed by different programs, models or data, and cannot be merged.");
        });
        JsonObject la = layout(a.shard());
        JsonObject lb = layout(b.shard());
        JsonDiff.first(la, lb).ifPresent(d -> {
            throw new EvalException("The shards were planned differently (shard." + d.describe(a.dir().toString(),
                    b.dir().toString()) + "); run them again with the same program, options and models.");
        });
    }

    /** Options whose values are files, which nodes of one cluster may mount at different places. */
    private static final List<String> FILE_OPTIONS = List.of("dataset", "train", "demo_pool", "template", "lens");

    /**
     * The options but the shard, with each file named by its name alone: the same dataset may sit at
     * another absolute path on another node, and its content is compared by the provenance
     * (dataset file SHA-256 and size, examples, pool and template text), which names what differs.
     */
    private static Map<String, String> withoutMounts(Map<String, String> options) {
        Map<String, String> o = new TreeMap<>(options);
        o.remove("shard");
        for (String key : FILE_OPTIONS) {
            String v = o.get(key);
            if (v != null) {
                o.put(key, java.util.Arrays.stream(v.split(",", -1)).map(EvalMerge::fileName)
                        .collect(java.util.stream.Collectors.joining(",")));
            }
        }
        return o;
    }

    private static String fileName(String value) {
        Path p = Path.of(value);
        return p.isAbsolute() && p.getFileName() != null ? p.getFileName().toString() : value;
    }

    /** The shard section without what is the shard's own. */
    private static JsonObject layout(JsonObject shard) {
        JsonObject o = new JsonObject();
        o.add("count", shard.get("count"));
        o.add("block", shard.get("block"));
        o.add("examples", shard.get("examples"));
        JsonArray cs = new JsonArray();
        for (JsonElement e : shard.getAsJsonArray("conditions")) {
            JsonObject c = e.getAsJsonObject().deepCopy();
            c.remove("blocks");
            cs.add(c);
        }
        o.add("conditions", cs);
        return o;
    }

    private static String show(String v) {
        return v == null ? "(not given)" : "'" + v + "'";
    }

    private static ShardDir read(Path dir) {
        Path manifestFile = dir.resolve(RunFolder.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new EvalException(dir + " holds no " + RunFolder.MANIFEST + ": name the folders eval --shard wrote.");
        }
        JsonObject manifest;
        Map<String, String> options = new LinkedHashMap<>();
        try {
            manifest = JsonParser.parseString(DatasetReader.readText(manifestFile)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : manifest.getAsJsonObject("options").entrySet()) {
                options.put(e.getKey(), e.getValue().isJsonNull() ? null : e.getValue().getAsString());
            }
        } catch (RuntimeException e) {
            throw new EvalException(manifestFile + " is not a Logitscope run manifest (" + e.getMessage() + ").");
        }
        if (!manifest.has(RunRecord.SHARD) || !manifest.get(RunRecord.SHARD).isJsonObject()) {
            throw new EvalException(dir + " is not a shard (its run was not started with --shard or a scheduler's"
                    + " index): there is nothing to merge it with.");
        }
        boolean complete = false;
        Path summary = dir.resolve(RunFolder.SUMMARY);
        if (Files.isRegularFile(summary)) {
            try {
                complete = JsonParser.parseString(DatasetReader.readText(summary)).getAsJsonObject().get("complete")
                        .getAsBoolean();
            } catch (RuntimeException e) {
                complete = false; // a torn summary: the shard is treated as unfinished
            }
        }
        Path csv = dir.resolve(RunFolder.EXAMPLES);
        List<ExampleResult> rows = Files.isRegularFile(csv)
                ? ExamplesCsv.parse(csv.toString(), DatasetReader.readText(csv)).results() : List.of();
        return new ShardDir(dir, manifest, options, manifest.getAsJsonObject(RunRecord.SHARD), complete, rows);
    }

    /** Each model's size from the shards that ran it; its examples and seconds summed over them; in --models order. */
    private static Map<String, ModelStats> models(Iterable<ShardDir> shards, String names, Map<String, Integer> layers) {
        Map<String, ModelStats> out = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            String n = name.strip();
            ModelStats merged = null;
            for (ShardDir s : shards) {
                JsonObject ms = s.manifest().getAsJsonObject("models");
                if (ms == null || !ms.has(n)) {
                    continue;
                }
                JsonObject o = ms.getAsJsonObject(n);
                ModelStats m = new ModelStats(n, o.has("family") ? o.get("family").getAsString() : "",
                        o.has("readout") ? o.get("readout").getAsString() : "", o.get("parameters").getAsLong(), o.get("layers").getAsInt(), o.get("examples_computed").getAsLong(),
                        o.get("seconds").getAsDouble());
                merged = merged == null ? m : merged.plus(m.computed(), m.seconds());
            }
            if (merged != null) {
                out.put(n, merged);
                layers.put(n, merged.layers());
            }
        }
        return out;
    }

    /** Refuses to write into a shard, or over a run that is not an earlier merge. */
    private static void checkOut(Path out, List<Path> dirs) {
        for (Path d : dirs) {
            if (d.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new EvalException("--out " + out + " is one of the shards; merge into another folder.");
            }
        }
        Path manifest = out.resolve(RunFolder.MANIFEST);
        if (Files.isRegularFile(manifest)) {
            boolean merged;
            try {
                merged = JsonParser.parseString(DatasetReader.readText(manifest)).getAsJsonObject().has(MERGE);
            } catch (RuntimeException e) {
                merged = false;
            }
            if (!merged) {
                throw new EvalException("--out " + out + " already holds a run that is not a merge; choose another --out.");
            }
        }
    }

    private static void write(Path out, ShardDir first, Iterable<ShardDir> shards, EvalSummary summary, String csv,
            List<String> missing, Map<String, ModelStats> models) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new EvalException("Cannot create " + out + " (" + e.getMessage() + "); choose a writable --out.");
        }
        // What an unsharded run records: its options without the shard, the provenance the shards share,
        // and a run section spanning the shards (each shard's own within it).
        JsonObject run = new JsonObject();
        run.add("shard", JsonNull.INSTANCE);
        JsonArray each = new JsonArray();
        String started = null;
        String ended = null;
        for (ShardDir s : shards) {
            JsonObject r = s.manifest().has(Provenance.RUN) ? s.manifest().getAsJsonObject(Provenance.RUN) : new JsonObject();
            each.add(r);
            String st = r.has("started") && !r.get("started").isJsonNull() ? r.get("started").getAsString() : null;
            String en = r.has("ended") && !r.get("ended").isJsonNull() ? r.get("ended").getAsString() : null;
            started = st != null && (started == null || st.compareTo(started) < 0) ? st : started;
            ended = en != null && (ended == null || en.compareTo(ended) > 0) ? en : ended;
        }
        run.add("started", started == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(started));
        run.add("ended", ended == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(ended));
        run.add("shards", each);

        JsonObject root = EvalJson.summary(summary);
        if (first.manifest().has(Provenance.SECTION)) {
            root.add(Provenance.SECTION, first.manifest().get(Provenance.SECTION));
        }
        root.add(Provenance.RUN, run);
        JsonObject merge = new JsonObject();
        merge.addProperty("shards", first.count());
        JsonArray missingJson = new JsonArray();
        missing.forEach(missingJson::add);
        merge.add("missing", missingJson);
        if (!missing.isEmpty()) {
            root.add(MERGE, merge); // a complete merge's summary.json is the unsharded run's
        }

        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", first.manifest().get("format").getAsString());
        JsonObject opts = new JsonObject();
        new TreeMap<>(first.options()).forEach((k, v) -> {
            if (!k.startsWith("shard")) { // shard, shard_block, shard_batch: the shards' own
                opts.addProperty(k, v);
            }
        });
        manifest.add("options", opts);
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
        manifest.add("models", ms);
        if (first.manifest().has(Provenance.SECTION)) {
            manifest.add(Provenance.SECTION, first.manifest().get(Provenance.SECTION));
        }
        manifest.add(Provenance.RUN, run);
        manifest.add(MERGE, merge);

        writeAtomically(out.resolve(RunFolder.EXAMPLES), csv);
        writeAtomically(out.resolve(RunFolder.SUMMARY), JsonText.pretty(root) + "\n");
        writeAtomically(out.resolve(RunFolder.MANIFEST),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(manifest) + "\n");
    }

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

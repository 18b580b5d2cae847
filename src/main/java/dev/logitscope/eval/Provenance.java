package dev.logitscope.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.DemoSelector;
import dev.logitscope.prompt.Demonstration;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Shots;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * Where a result came from, written into manifest.json and summary.json. Two sections:
 * {@code provenance}, everything that decides the numbers (program version and commit, each model's
 * source, revision and file hashes, the tokenizer, the examples and demonstration pool by hash, the
 * templates' text and label words, the demonstrations each seed picks, seeds, lens, precision) —
 * equal for every shard of one run, and {@code eval-merge} refuses shards where it differs; and
 * {@code run}, this session (shard, machine, start and end), which may differ.
 */
public final class Provenance {
    public static final String SECTION = "provenance";
    public static final String RUN = "run";
    /** A hub snapshot: {@code …/models--org--name/snapshots/<commit>}. */
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The PNG iTXt keyword, SVG metadata key, PDF information key and XMP property of a picture's provenance. */
    public static final String PICTURE_KEY = "logitscope:provenance";

    private Provenance() {}

    /**
     * What an evaluation's pictures carry: the run folder's provenance (manifest.json) as one line of
     * JSON under {@link #PICTURE_KEY}; nothing when the folder has none (the numbers beside have it).
     */
    public static Map<String, String> pictureText(Path runDir) {
        try {
            JsonElement p = com.google.gson.JsonParser.parseString(Files.readString(runDir.resolve("manifest.json")))
                    .getAsJsonObject().get(SECTION);
            return p == null ? Map.of() : Map.of(PICTURE_KEY, p.toString());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** What decides the numbers. */
    public static JsonObject of(ProgramVersion program, List<ModelRef> models, List<PromptTemplate> templates,
            List<Example> examples, DemoPool pool, List<Integer> shots, List<Long> seeds, DemoOrder order,
            Map<String, String> options, FileHashes hashes) {
        JsonObject o = new JsonObject();
        o.add("program", program(program));

        JsonObject data = new JsonObject();
        data.addProperty("format", options.get("format"));
        String datasetPath = options.get("dataset");
        if (datasetPath != null) {
            data.add("file", datasetFile(Path.of(datasetPath), hashes));
        }
        data.addProperty("examples", examples.size());
        data.addProperty("examples_sha256", examplesHash(examples));
        data.addProperty("demo_pool_size", pool.size());
        data.addProperty("demo_pool_sha256", poolHash(pool.all()));
        o.add("dataset", data);

        JsonArray ms = new JsonArray();
        for (ModelRef m : models) {
            ms.add(model(m, hashes));
        }
        o.add("models", ms);

        JsonArray ts = new JsonArray();
        for (PromptTemplate t : templates) {
            ts.add(template(t));
        }
        o.add("templates", ts);

        // Which pool entries (0-based, in the pool's order after removing evaluated reviews) each
        // demonstration count and seed shows, in the order shown.
        JsonArray demos = new JsonArray();
        boolean loss = "loss".equals(options.get("method"));
        for (int k : loss ? List.<Integer>of() : shots) {
            if (k == 0) {
                continue;
            }
            for (long seed : seeds) {
                JsonObject d = new JsonObject();
                d.addProperty("shots", k);
                d.addProperty("seed", seed);
                JsonArray ids = new JsonArray();
                try {
                    for (Demonstration chosen : DemoSelector.select(pool, "", new Shots(k), order, seed)) {
                        ids.add(pool.all().indexOf(chosen));
                    }
                    d.add("pool_indices", ids);
                } catch (RuntimeException e) {
                    d.add("pool_indices", JsonNull.INSTANCE);
                }
                demos.add(d);
            }
        }
        o.add("demonstrations", demos);
        JsonArray seedArray = new JsonArray();
        seeds.forEach(seedArray::add);
        o.add("seeds", seedArray);
        o.addProperty("sample_seed", Long.parseLong(options.getOrDefault("sample_seed", "0")));
        o.addProperty("lens", "logit");
        String lensOption = options.get("lens");
        if (lensOption != null && !models.isEmpty()) {
            o.add("lenses", lenses(lensOption, models.get(0), hashes));
        }
        o.addProperty("precision", "float32");
        return o;
    }

    /**
     * Each lens of an {@code eval --lens} run: its key, kind and, for a lens folder, the folder's
     * name and the sha256 of its files (config.json among them; hub repository and revision when
     * it came from the hub). The folder's absolute path is left out: shards on other mounts of the
     * same files must agree.
     */
    static JsonArray lenses(String lensOption, ModelRef model, FileHashes hashes) {
        JsonArray out = new JsonArray();
        for (String entry : lensOption.split(",")) {
            dev.logitscope.lens.LensChoice lens = dev.logitscope.lens.LensChoice.parse(entry);
            JsonObject o;
            if (lens.folder() != null) {
                o = AnalysisProvenance.lens(new AnalysisProvenance.Source(model, "lens folder", lens.folder()), hashes);
                o.addProperty("folder", lens.key());
            } else {
                o = new JsonObject();
                o.addProperty("name", lens.isClassifier() ? "classifier-head lens" : "logit lens");
            }
            o.addProperty("key", lens.key());
            o.addProperty("kind", lens.kind().name().toLowerCase(java.util.Locale.ROOT));
            out.add(o);
        }
        return out;
    }

    /** This session: the shard, the machine, when it started and (so far) ended. */
    public static JsonObject run(Shard shard, Instant started, Instant ended) {
        JsonObject o = new JsonObject();
        o.add("shard", shard.whole() ? JsonNull.INSTANCE : new JsonPrimitive(shard.spec()));
        o.add("machine", machine());
        o.addProperty("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
        o.add("ended", ended == null ? JsonNull.INSTANCE : new JsonPrimitive(ended.truncatedTo(ChronoUnit.SECONDS).toString()));
        return o;
    }

    /** The program: name, version, git commit (null when not built from a checkout) and whether it was dirty. */
    static JsonObject program(ProgramVersion program) {
        JsonObject prog = new JsonObject();
        prog.addProperty("name", "logitscope");
        prog.addProperty("version", program.version());
        prog.add("commit", program.commit().isEmpty() ? JsonNull.INSTANCE : new JsonPrimitive(program.commit()));
        prog.addProperty("dirty", program.dirty());
        return prog;
    }

    /** A template's text, label words and loss-method classes. */
    static JsonObject template(PromptTemplate t) {
        JsonObject to = new JsonObject();
        to.addProperty("name", t.name());
        to.addProperty("instruction", t.instruction());
        to.addProperty("demonstration", t.demonstration());
        to.addProperty("separator", t.separator());
        JsonArray labels = new JsonArray();
        labels.add(t.labels().positive());
        labels.add(t.labels().negative());
        to.add("label_words", labels);
        to.addProperty("loss_prompt", t.lossPrompt());
        JsonArray classes = new JsonArray();
        classes.add(t.lossClasses().positive());
        classes.add(t.lossClasses().negative());
        to.add("loss_classes", classes);
        return to;
    }

    /** The machine: host, cores, OS and Java. */
    static JsonObject machine() {
        JsonObject machine = new JsonObject();
        machine.addProperty("host", host());
        machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
        machine.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }

    /**
     * A model's source and files: for a hub snapshot the repository and commit (and each file's
     * blob hash, which is the SHA-256 of large files), for a folder the SHA-256 of every file.
     */
    public static JsonObject model(ModelRef m, FileHashes hashes) {
        JsonObject o = new JsonObject();
        o.addProperty("name", m.name());
        Path folder = m.folder().toAbsolutePath().normalize();
        Path snapshots = folder.getParent();
        Path repo = snapshots == null ? null : snapshots.getParent();
        boolean hub = repo != null && snapshots.getFileName().toString().equals("snapshots")
                && repo.getFileName().toString().startsWith("models--");
        if (hub) {
            o.addProperty("source", "hub");
            o.addProperty("repo", repo.getFileName().toString().substring("models--".length()).replace("--", "/"));
            o.addProperty("revision", folder.getFileName().toString());
        } else {
            o.addProperty("source", "folder");
        }
        JsonObject files = new JsonObject();
        Set<String> names = new TreeSet<>();
        try (var list = Files.list(folder)) {
            list.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            o.addProperty("files_error", e.getMessage());
        }
        for (String name : names) {
            files.add(name, fileHash(folder.resolve(name), hub, hashes));
        }
        o.add("sha256", files);
        return o;
    }

    private static JsonElement fileHash(Path file, boolean hub, FileHashes hashes) {
        try {
            if (hub && Files.isSymbolicLink(file)) {
                String blob = Files.readSymbolicLink(file).getFileName().toString();
                if (SHA256.matcher(blob).matches()) {
                    return new JsonPrimitive(blob); // an LFS blob is named by its SHA-256
                }
            }
            return new JsonPrimitive(Files.size(file) > (64 << 20) ? hashes.sha256(file) : FileHashes.hash(file));
        } catch (IOException e) {
            return JsonNull.INSTANCE;
        }
    }

    /**
     * The dataset by content, not by where it is mounted: its file name, size and SHA-256 (a folder,
     * such as an IMDB split, by its name; its reviews are in {@code examples_sha256}).
     */
    static JsonObject datasetFile(Path path, FileHashes hashes) {
        JsonObject o = new JsonObject();
        Path name = path.getFileName();
        o.addProperty("name", name == null ? path.toString() : name.toString());
        try {
            if (Files.isRegularFile(path)) {
                o.addProperty("bytes", Files.size(path));
                o.addProperty("sha256", Files.size(path) > (64 << 20) ? hashes.sha256(path) : FileHashes.hash(path));
            } else {
                o.addProperty("folder", Files.isDirectory(path));
            }
        } catch (IOException e) {
            o.add("sha256", JsonNull.INSTANCE);
        }
        return o;
    }

    /** SHA-256 over the evaluated examples in order: id, gold label and text of each. */
    static String examplesHash(List<Example> examples) {
        MessageDigest d = FileHashes.digest();
        for (Example e : examples) {
            d.update((e.id() + '\u0000' + e.gold().key() + '\u0000' + e.text() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String poolHash(List<Demonstration> pool) {
        MessageDigest d = FileHashes.digest();
        for (Demonstration e : pool) {
            d.update((e.label().key() + '\u0000' + e.review() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.toLowerCase(Locale.ROOT);
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package dev.logitscope.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.hub.CatalogEntry;
import dev.logitscope.hub.ModelCatalog;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.json.JsonText;
import dev.logitscope.lens.Benchmark;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.ModelInfo;
import dev.logitscope.model.WeightStorage;
import dev.logitscope.model.gpt2.RandomCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code logitscope bench}: latency and throughput against the machine's own limits. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure forward, incremental and grid latency, achieved GFLOP/s, and the machine's matmul peak"
                + " and memory bandwidth, in one warm in-process run.")
final class BenchCommand implements Callable<Integer> {

    /** Families whose random checkpoints the benchmark can write (their own RandomCheckpoint). */
    private static final Set<String> RANDOM_FAMILIES = Set.of("gpt2", "gpt_neo");

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "DIR|HUB_ID", description = "A model folder or hub id.")
        String model;

        @Option(names = "--random-weights", paramLabel = "SHAPE",
                description = "Random weights of a real shape (distilgpt2, gpt2 … gpt2-xl, gpt-neo-125m, gpt-neo-1.3b), written"
                        + " to a temporary checkpoint and loaded memory-mapped like a real one; no download needed.")
        String randomShape;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--tokens", split = ",", defaultValue = "32,128,512", description = "Prompt lengths. Default: ${DEFAULT-VALUE}.")
    List<Integer> tokens;

    @Option(names = "--repeat", defaultValue = "10", description = "Repeats per measurement. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--memory-check", defaultValue = "0", paramLabel = "N",
            description = "Also run N analyses in a row and sample resident memory (e.g. 1000).")
    int memoryAnalyses;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || repeat > 1000) {
            throw new UserException("--repeat must be between 1 and 1000, not " + repeat + ".");
        }
        if (tokens.isEmpty() || tokens.stream().anyMatch(t -> t < 1)) {
            throw new UserException("--tokens must be positive prompt lengths, e.g. 32,128,512.");
        }
        int[] lengths = tokens.stream().mapToInt(Integer::intValue).toArray();
        PrintWriter err = spec.commandLine().getErr();
        Path temporary = null;
        try {
            Path folder;
            String name;
            if (source.randomShape != null) {
                // Random checkpoints come from the families' own writers: GPT-2's and GPT-Neo's.
                CatalogEntry entry = ModelCatalog.find(source.randomShape).filter(e -> RANDOM_FAMILIES.contains(e.family()))
                        .orElseThrow(() -> new UserException("Unknown model shape '" + source.randomShape
                                + "'; choose " + ModelCatalog.entries().stream()
                                .filter(e -> RANDOM_FAMILIES.contains(e.family()))
                                .map(CatalogEntry::shortName).collect(Collectors.joining(", ")) + "."));
                temporary = Files.createTempDirectory("logitscope-bench-");
                folder = temporary;
                name = "random " + source.randomShape;
                err.println("writing a random " + source.randomShape + " checkpoint to " + temporary + " ...");
                err.flush();
                if (entry.family().equals("gpt_neo")) {
                    dev.logitscope.model.gptneo.RandomCheckpoint.write(dev.logitscope.model.gptneo.RandomCheckpoint
                            .releasedShape(entry.layers(), entry.width(), entry.heads()), temporary, 1);
                } else {
                    RandomCheckpoint.write(RandomCheckpoint.releasedShape(entry.layers(), entry.width(), entry.heads()),
                            temporary, 1);
                }
            } else {
                ModelOptions options = new ModelOptions();
                options.model = source.model;
                ModelSource located = options.locate();
                folder = located.folder();
                name = located.name();
            }
            // Our own temporary file is never rewritten: map it, as a downloaded (hub cache) checkpoint is.
            String storage = System.getProperty(WeightStorage.PROPERTY);
            if (temporary != null && storage == null) {
                System.setProperty(WeightStorage.PROPERTY, "mapped");
            }
            try {
                print(Benchmark.run(folder, name, lengths, repeat, memoryAnalyses, line -> {
                    err.println(line);
                    err.flush();
                }));
            } finally {
                if (storage == null) {
                    System.clearProperty(WeightStorage.PROPERTY);
                }
            }
            return 0;
        } finally {
            if (temporary != null) {
                deleteTree(temporary);
            }
        }
    }

    private void print(Benchmark.Report report) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonText.pretty(toJson(report)));
        } else {
            printTable(out, report);
        }
        out.flush();
    }

    static JsonObject toJson(Benchmark.Report report) {
        JsonObject root = new JsonObject();
        root.add("model", LensJson.model(new ModelInfo(report.source(), report.model(), report.load().weightBytes(),
                report.load().loadMillis(), report.readout())));
        JsonObject load = new JsonObject();
        load.addProperty("load_ms", report.load().loadMillis());
        load.addProperty("file_bytes", report.load().fileBytes());
        load.addProperty("weight_bytes", report.load().weightBytes());
        load.addProperty("rss_before_mb", report.load().rssBeforeMb());
        load.addProperty("rss_after_load_mb", report.load().rssAfterLoadMb());
        load.addProperty("rss_after_forward_mb", report.load().rssAfterForwardMb());
        load.addProperty("resident_ratio", report.load().residentRatio());
        root.add("load", load);
        root.addProperty("peak_gflops", report.peakGflops());
        root.addProperty("memory_gbps", report.memoryGbps());
        root.addProperty("mkl_cbwr", mklBranch());
        JsonArray results = new JsonArray();
        for (Benchmark.LengthResult r : report.results()) {
            JsonObject o = new JsonObject();
            o.addProperty("tokens", r.tokens());
            o.add("forward_ms", timing(r.forwardMs()));
            o.add("incremental_ms", timing(r.incrementalMs()));
            o.add("incremental_forward_ms", timing(r.incrementalForwardMs()));
            o.add("grid_ms", timing(r.gridMs()));
            o.addProperty("gflops", r.gflops());
            o.addProperty("peak_ratio", r.peakRatio());
            o.addProperty("incremental_bound_ms", r.incrementalBoundMs());
            o.addProperty("incremental_ratio", r.incrementalRatio());
            results.add(o);
        }
        root.add("results", results);
        Benchmark.BatchResult batch = report.batch();
        JsonObject side = new JsonObject();
        side.addProperty("prefix_tokens", batch.prefixTokens());
        side.addProperty("prompt_tokens", batch.promptTokens());
        side.addProperty("prompts", batch.prompts());
        side.add("alone_ms_per_prompt", timing(batch.aloneMsPerPrompt()));
        side.add("side_by_side_ms_per_prompt", timing(batch.sideBySideMsPerPrompt()));
        root.add("side_by_side", side);
        if (report.memory() != null) {
            JsonObject memory = new JsonObject();
            memory.addProperty("analyses", report.memory().analyses());
            memory.addProperty("every", report.memory().every());
            JsonArray rss = new JsonArray();
            report.memory().rssMb().forEach(rss::add);
            memory.add("rss_mb", rss);
            root.add("memory", memory);
        }
        return root;
    }

    private static JsonObject timing(Benchmark.Timing t) {
        JsonObject o = new JsonObject();
        o.addProperty("median", t.median());
        o.addProperty("min", t.min());
        o.addProperty("max", t.max());
        return o;
    }

    private static void printTable(PrintWriter out, Benchmark.Report report) {
        Benchmark.LoadResult load = report.load();
        out.printf(Locale.ROOT, "%s: %d layers, width %d, %.0f M parameters%n", report.source(), report.model().nLayer(),
                report.model().nEmbd(), report.model().parameters() / 1e6);
        out.printf(Locale.ROOT, "load %d ms; file %.2f GB; resident after load %d MB, after a forward %d MB (%.2f x file)%n",
                load.loadMillis(), load.fileBytes() / 1e9, load.rssAfterLoadMb() - load.rssBeforeMb(),
                load.rssAfterForwardMb() - load.rssBeforeMb(), load.residentRatio());
        out.printf(Locale.ROOT, "machine: float32 matmul peak %.1f GFLOP/s, memory read %.1f GB/s; MKL_CBWR=%s%n",
                report.peakGflops(), report.memoryGbps(), mklBranch());
        out.printf(Locale.ROOT, "%7s %22s %22s %22s %9s %7s %9s%n", "tokens", "forward ms (min-max)", "1 token ms (min-max)",
                "grid ms (min-max)", "GFLOP/s", "%peak", "x floor");
        for (Benchmark.LengthResult r : report.results()) {
            out.printf(Locale.ROOT, "%7d %22s %22s %22s %9.1f %6.0f%% %9.2f%n", r.tokens(), fmt(r.forwardMs()),
                    fmt(r.incrementalMs()), fmt(r.gridMs()), r.gflops(), 100 * r.peakRatio(), r.incrementalRatio());
        }
        if (!report.results().isEmpty()) {
            out.printf(Locale.ROOT, "one-token floor (weights / bandwidth): %.1f ms; of the 1-token time, the blocks alone: %s ms%n",
                    report.results().get(0).incrementalBoundMs(),
                    report.results().stream().map(r -> fmt(r.incrementalForwardMs())).toList());
        }
        Benchmark.BatchResult batch = report.batch();
        out.printf(Locale.ROOT, "%d prompts of %d tokens after a shared %d-token prefix (batch evaluation): %s ms each"
                + " one after another, %s ms side by side (%.1fx)%n", batch.prompts(), batch.promptTokens(),
                batch.prefixTokens(), fmt(batch.aloneMsPerPrompt()), fmt(batch.sideBySideMsPerPrompt()),
                batch.aloneMsPerPrompt().median() / batch.sideBySideMsPerPrompt().median());
        if (report.memory() != null) {
            out.printf(Locale.ROOT, "resident memory over %d analyses (every %d): %s MB%n", report.memory().analyses(),
                    report.memory().every(), report.memory().rssMb());
        }
    }

    /**
     * The MKL code branch libtorch runs with (the launcher sets AUTO; see the README's Speed
     * section), or "unset": figures for few-row products differ by ~1.5× between them on AMD CPUs.
     */
    private static String mklBranch() {
        String value = System.getenv("MKL_CBWR");
        return value == null || value.isBlank() ? "unset" : value;
    }

    private static String fmt(Benchmark.Timing t) {
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", t.median(), t.min(), t.max());
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}

package dev.logitscope.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.analysis.AnalysisRequest;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.Demonstration;
import dev.logitscope.prompt.UsedDemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where one analysis came from ({@code inspect}'s pictures and the app's exports): the same record
 * for the same inputs whichever wrote it — program, model source and revision or file hashes
 * (tokenizer files included), the template's text and label words, the demonstrations shown (their
 * indices in the pool and the pool's hash), seed, method, lens (and its files), precision — and
 * the session that wrote it (machine and time). Built with {@link Provenance}'s parts, so an
 * analysis and an evaluation describe a model, a template and the machine alike.
 */
public final class AnalysisProvenance {

    /**
     * What an analysis ran on, as plain values (taken from the engine on the thread that owns it).
     *
     * @param model      the model as the user named it, and its folder
     * @param lens       the lens's name ("logit lens", "tuned lens (…)")
     * @param lensFolder the tuned lens's folder, or null for the logit lens
     */
    public record Source(ModelRef model, String lens, Path lensFolder) {
        public Source {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(lens, "lens");
        }

        /** The engine's model read through {@code lens}. */
        public static Source of(LensEngine engine, dev.logitscope.lens.LensChoice lens) {
            return new Source(new ModelRef(engine.info().source(), engine.folder()), engine.lensName(lens), lens.folder());
        }
    }

    private AnalysisProvenance() {}

    /** A review put into a template with demonstrations ({@code inspect --review}, the app). */
    public static JsonObject of(Source source, PromptAnalysis analysis, FileHashes hashes, Instant time) {
        AnalysisRequest r = analysis.request();
        JsonObject prompt = new JsonObject();
        prompt.add("template", Provenance.template(analysis.template()));
        prompt.addProperty("shots", r.recipe().shots().k());
        prompt.addProperty("demo_labels", r.recipe().demoLabels().key());
        prompt.addProperty("demo_order", r.recipe().order().key());
        prompt.addProperty("seed", r.recipe().seed());
        DemoPool pool = r.pool();
        prompt.addProperty("demo_pool_size", pool.size());
        prompt.addProperty("demo_pool_sha256", Provenance.poolHash(pool.all()));
        // Which pool entries were shown, in the order shown, with the label each showed.
        JsonArray demos = new JsonArray();
        for (UsedDemo d : analysis.prompt().demos()) {
            JsonObject o = new JsonObject();
            int index = pool.all().indexOf(new Demonstration(d.review(), d.truth()));
            o.add("pool_index", index < 0 ? JsonNull.INSTANCE : new JsonPrimitive(index));
            o.addProperty("shown", d.shown().key());
            demos.add(o);
        }
        prompt.add("demonstrations", demos);
        prompt.addProperty("dropped_demonstrations", analysis.droppedDemos());
        prompt.addProperty("review_sha256", sha256(r.review()));
        prompt.addProperty("method", r.method().key());
        prompt.addProperty("calibrate", r.calibrate());
        return record(source, prompt, hashes, time);
    }

    /** An exact prompt text with the words it follows ({@code inspect --prompt}). */
    public static JsonObject ofPrompt(Source source, String text, List<String> labelWords, FileHashes hashes,
            Instant time) {
        JsonObject prompt = new JsonObject();
        prompt.addProperty("text_sha256", sha256(text));
        JsonArray words = new JsonArray();
        labelWords.forEach(words::add);
        prompt.add("label_words", words);
        return record(source, prompt, hashes, time);
    }

    /** The record as one line of JSON under {@link Provenance#PICTURE_KEY}, as pictures carry it. */
    public static Map<String, String> pictureText(JsonObject record) {
        return Map.of(Provenance.PICTURE_KEY, record.toString());
    }

    private static JsonObject record(Source source, JsonObject prompt, FileHashes hashes, Instant time) {
        JsonObject o = new JsonObject();
        o.add("program", Provenance.program(ProgramVersion.current()));
        o.add("model", Provenance.model(source.model(), hashes));
        o.add("prompt", prompt);
        o.add("lens", lens(source, hashes));
        o.addProperty("precision", "float32");
        JsonObject run = new JsonObject();
        run.add("machine", Provenance.machine());
        run.addProperty("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        o.add(Provenance.RUN, run);
        return o;
    }

    /**
     * Records every lens of a run read through several ({@code inspect --lens a,b}) under {@code
     * lenses}, keyed as the tables and JSON key them, each as {@code lens} records one (a folder lens
     * with the sha256 of its files, config.json among them); {@code lens} stays the first's.
     */
    public static JsonObject withLenses(JsonObject record, Map<String, Source> sources, FileHashes hashes) {
        JsonArray lenses = new JsonArray();
        sources.forEach((key, source) -> {
            JsonObject o = lens(source, hashes);
            o.addProperty("key", key);
            lenses.add(o);
        });
        record.add("lenses", lenses);
        return record;
    }

    /** The lens by name; a tuned lens also by its files (hub repository and revision when it came from the hub). */
    public static JsonObject lens(Source source, FileHashes hashes) {
        JsonObject o = new JsonObject();
        o.addProperty("name", source.lens());
        if (source.lensFolder() == null) {
            return o;
        }
        Path folder = source.lensFolder().toAbsolutePath().normalize();
        HubPlace.of(folder).ifPresentOrElse(place -> {
            o.addProperty("source", "hub");
            o.addProperty("repo", place.repo());
            o.addProperty("repo_type", place.type());
            o.addProperty("revision", place.revision());
            o.addProperty("path", place.path());
        }, () -> o.addProperty("source", "folder"));
        JsonObject files = new JsonObject();
        Set<String> names = new TreeSet<>();
        try (var list = Files.list(folder)) {
            list.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            o.addProperty("files_error", e.getMessage());
        }
        for (String name : names) {
            try {
                Path file = folder.resolve(name);
                files.addProperty(name, Files.size(file) > (64 << 20) ? hashes.sha256(file) : FileHashes.hash(file));
            } catch (IOException e) {
                files.add(name, JsonNull.INSTANCE);
            }
        }
        o.add("sha256", files);
        return o;
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(FileHashes.digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Where in a Hugging Face cache a folder is: {@code <type>s--org--name/snapshots/<revision>/<path>}. */
    record HubPlace(String type, String repo, String revision, String path) {
        static java.util.Optional<HubPlace> of(Path folder) {
            for (Path p = folder; p != null && p.getParent() != null && p.getParent().getParent() != null; p = p.getParent()) {
                Path snapshots = p.getParent();
                Path repo = snapshots.getParent();
                String repoName = repo.getFileName() == null ? "" : repo.getFileName().toString();
                if (snapshots.getFileName() != null && snapshots.getFileName().toString().equals("snapshots")
                        && repoName.matches("(models|datasets|spaces)--.+")) {
                    int cut = repoName.indexOf("--");
                    String type = repoName.substring(0, cut - 1); // models → model
                    return java.util.Optional.of(new HubPlace(type, repoName.substring(cut + 2).replace("--", "/"),
                            p.getFileName().toString(), p.relativize(folder).toString().replace('\\', '/')));
                }
            }
            return java.util.Optional.empty();
        }
    }
}

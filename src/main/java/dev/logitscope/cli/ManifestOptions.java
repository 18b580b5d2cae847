package dev.logitscope.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.eval.EvalJob;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.eval.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eval --from-manifest}: the options a run folder's manifest.json recorded, put back into
 * the command, so the run is repeated exactly (its shard and block size too). Only {@code --out},
 * {@code --resume} and the progress output are the new run's own.
 */
final class ManifestOptions {

    private ManifestOptions() {}

    static void apply(Path manifest, EvalCommand cmd) throws UserException {
        Map<String, String> o = read(manifest);
        cmd.models = Arrays.asList(require(o, "models", manifest).split(","));
        cmd.dataset = Path.of(require(o, "dataset", manifest));
        cmd.format = o.get("format");
        cmd.textCol = value(o.get("text_col"));
        cmd.labelCol = value(o.get("label_col"));
        String labelMap = value(o.get("label_map"));
        cmd.labelMap = labelMap == null || labelMap.equals("default") ? null
                : labelMap.replaceAll("^\\{|\\}$", "").replace(", ", ",").toLowerCase(java.util.Locale.ROOT);
        cmd.limit = value(o.get("limit")) == null ? null : Integer.valueOf(o.get("limit"));
        cmd.sample = value(o.get("sample")) == null ? null : Integer.valueOf(o.get("sample"));
        cmd.sampleSeed = Long.parseLong(o.getOrDefault("sample_seed", "0"));
        cmd.skipBad = Boolean.parseBoolean(o.get("skip_bad"));
        cmd.train = value(o.get("train")) == null ? null : Path.of(o.get("train"));
        String pool = value(o.get("demo_pool"));
        cmd.demoPool = pool == null || pool.equals("built-in") ? null : Path.of(pool);
        cmd.template = null;
        cmd.templates = Arrays.asList(require(o, "template", manifest).split(","));
        cmd.shots = Arrays.asList(require(o, "shots", manifest).split(","));
        cmd.demoLabels = Arrays.asList(require(o, "demo_labels", manifest).split(","));
        cmd.demoOrder = o.get("demo_order");
        cmd.seeds = Integer.parseInt(require(o, "seeds", manifest));
        cmd.method = o.get("method");
        cmd.lossSpan = value(o.get("loss_span"));
        cmd.calibrate = Boolean.parseBoolean(o.get("calibrate"));
        cmd.margin = Double.parseDouble(require(o, "margin", manifest));
        cmd.lens = value(o.get("lens")) == null ? null : Arrays.asList(o.get("lens").split(","));
        cmd.shard = value(o.get("shard"));
        cmd.shardCount = null;
        if (cmd.shard == null) {
            cmd.environment = Map.of(); // an unsharded run stays unsharded inside a job array
        }
        if (value(o.get("shard_batch")) != null) { // a shard's blocks and passes, as the other shards make them
            cmd.batch = Integer.parseInt(o.get("shard_batch"));
            cmd.block = Integer.parseInt(o.get("shard_block"));
        }
    }

    static void requireSameProvenance(Path manifest, EvalJob job, List<ModelRef> models) {
        RunRecord.requireSameProvenance(manifest, job, models);
    }

    private static Map<String, String> read(Path manifest) throws UserException {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
            Map<String, String> out = new HashMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("options").entrySet()) {
                out.put(e.getKey(), e.getValue().isJsonNull() ? null : e.getValue().getAsString());
            }
            return out;
        } catch (IOException e) {
            throw new UserException("Cannot read " + manifest + " (" + e.getMessage() + "); give a run folder's"
                    + " manifest.json to --from-manifest.");
        } catch (RuntimeException e) {
            throw new UserException(manifest + " is not a Logitscope run manifest (no \"options\"); give a run folder's"
                    + " manifest.json to --from-manifest.");
        }
    }

    private static String require(Map<String, String> o, String key, Path manifest) throws UserException {
        String v = value(o.get(key));
        if (v == null) {
            throw new UserException(manifest + " records no '" + key + "'; it is not a complete run manifest.");
        }
        return v;
    }

    /** The manifest writes an absent option as "null". */
    private static String value(String v) {
        return v == null || v.equals("null") ? null : v;
    }
}

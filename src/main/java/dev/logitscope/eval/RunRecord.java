package dev.logitscope.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a run's provenance, session and (for a shard) its blocks into the run folder
 * (manifest.json and summary.json), and refuses to resume a run whose provenance changed: the
 * same options with another model revision or program version would mix two experiments.
 */
public final class RunRecord {
    static final String SHARD = "shard";

    private final RunFolder folder;
    private final Shard shard;
    private final Instant started;

    private RunRecord(RunFolder folder, Shard shard, Instant started) {
        this.folder = folder;
        this.shard = shard;
        this.started = started;
    }

    static RunRecord start(RunFolder folder, EvalJob job, List<ModelRef> models) {
        JsonObject provenance = Provenance.of(ProgramVersion.current(), models, job.templates(), job.examples(), job.pool(),
                job.shotCounts(), job.seeds(), job.order(), job.options(), FileHashes.user());
        JsonElement before = folder.savedSection(Provenance.SECTION);
        if (before != null) {
            Optional<JsonDiff.Difference> d = JsonDiff.first(before, provenance);
            if (d.isPresent()) {
                throw new EvalException(EvalInput.RESUME, w -> "Cannot resume the run in " + folder.dir() + ": its "
                        + "provenance differs at " + d.get().describe("the run", "now") + ". Results of two programs or"
                        + " models would mix; " + w.newRun() + ".");
            }
        }
        Instant started = startedBefore(folder.savedSection(Provenance.RUN)).orElse(Instant.now());
        RunRecord record = new RunRecord(folder, job.shard(), started);
        folder.section(Provenance.SECTION, provenance);
        folder.section(Provenance.RUN, Provenance.run(job.shard(), started, null));
        ShardPlan plan = job.shardPlan(models);
        if (plan != null) {
            folder.section(SHARD, shardSection(job.shard(), plan, job.examples().size()));
        }
        return record;
    }

    /**
     * Refuses to re-run a recorded run ({@code eval --from-manifest}) when what decides its numbers
     * has changed: another program version, model revision, tokenizer, dataset or pool.
     */
    public static void requireSameProvenance(java.nio.file.Path manifest, EvalJob job, List<ModelRef> models) {
        JsonElement before;
        try {
            before = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(manifest)).getAsJsonObject()
                    .get(Provenance.SECTION);
        } catch (java.io.IOException | RuntimeException e) {
            throw new EvalException("Cannot read " + manifest + ": " + e.getMessage());
        }
        if (before == null) {
            return; // a run from before provenance was recorded: its options are all there is
        }
        JsonObject now = Provenance.of(ProgramVersion.current(), models, job.templates(), job.examples(), job.pool(),
                job.shotCounts(), job.seeds(), job.order(), job.options(), FileHashes.user());
        JsonDiff.first(before, now).ifPresent(d -> {
            throw new EvalException("Cannot re-run " + manifest + " exactly: " + d.describe("the run", "now")
                    + ". Use the program and model files it recorded (see its provenance).");
        });
    }

    /** The end time, then the summary again with it. */
    void finish(EvalSummary summary) {
        folder.section(Provenance.RUN, Provenance.run(shard, started, Instant.now()));
        folder.writeSummary(summary);
    }

    private static Optional<Instant> startedBefore(JsonElement run) {
        try {
            return Optional.of(Instant.parse(run.getAsJsonObject().get("started").getAsString()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The shard's blocks: every condition of the run in run order (so a merge knows them all and
     * their order), each with the ranges of block numbers this shard computes.
     */
    static JsonObject shardSection(Shard shard, ShardPlan plan, int examples) {
        JsonObject o = new JsonObject();
        o.addProperty("index", shard.index());
        o.addProperty("count", shard.count());
        o.addProperty("block", plan.block());
        o.addProperty("examples", examples);
        double[] costs = plan.costs();
        double total = 0;
        for (double c : costs) {
            total += c;
        }
        o.add("estimated_share", new JsonPrimitive(total > 0 ? costs[shard.index()] / total : 0));
        Map<String, List<Integer>> owned = ShardPlan.blocks(plan.units(shard));
        JsonArray conditions = new JsonArray();
        String previous = null;
        for (ShardPlan.Unit u : plan.units()) {
            if (u.condition().key().equals(previous)) {
                continue;
            }
            previous = u.condition().key();
            JsonObject c = ConditionJson.of(u.condition());
            JsonArray ranges = new JsonArray();
            List<Integer> blocks = owned.getOrDefault(u.condition().key(), List.of());
            for (int i = 0; i < blocks.size(); ) {
                int j = i;
                while (j + 1 < blocks.size() && blocks.get(j + 1) == blocks.get(j) + 1) {
                    j++;
                }
                JsonArray r = new JsonArray();
                r.add(blocks.get(i));
                r.add(blocks.get(j));
                ranges.add(r);
                i = j + 1;
            }
            c.add("blocks", ranges);
            conditions.add(c);
        }
        o.add("conditions", conditions);
        return o;
    }
}

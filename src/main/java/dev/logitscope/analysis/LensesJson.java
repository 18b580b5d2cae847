package dev.logitscope.analysis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.LensReport;
import java.util.Map;

/**
 * The JSON of one run read through several lenses ({@code inspect --lens a,b --json}): the first
 * lens's document exactly as with one lens (so scripts reading one lens keep working), plus a
 * {@code lenses} array — per lens its {@code key}, {@code name}, {@code folder}, its {@code layers}
 * (each carrying {@code "lens": key}), its verdict and {@code kl_to_final} per block layer — and
 * {@code plain_only_reversal}, a sentence or null.
 */
public final class LensesJson {
    private LensesJson() {}

    /** A review read through each lens of {@code comparison}. */
    public static JsonObject of(LensComparison comparison, boolean allPositions) {
        JsonObject root = null;
        JsonArray lenses = new JsonArray();
        for (Map.Entry<LensChoice, PromptAnalysis> run : comparison.runs().entrySet()) {
            PromptAnalysis analysis = run.getValue();
            JsonObject report = AnalysisJson.report(analysis, allPositions);
            if (root == null) {
                root = report.deepCopy();
            }
            JsonObject entry = entry(run.getKey(), analysis.lens(), report);
            entry.addProperty("prompt", analysis.prompt().text()); // the classifier-head lens reads the review alone
            entry.addProperty("prediction", report.get("prediction").getAsString());
            Overthinking verdict = LensComparison.verdict(analysis);
            JsonObject v = AnalysisJson.overthinking(verdict);
            v.addProperty("calibrated", analysis.calibratedOverthinking() != null);
            v.addProperty("summary", verdictSentence(analysis));
            entry.add("verdict", v);
            // A review's label is read at its last position: KL there.
            entry.add("kl_to_final", numbers(analysis.lens().lastKlToFinal()));
            lenses.add(entry);
        }
        root.add("lenses", lenses);
        root.add("plain_only_reversal", comparison.plainOnlyReversal().<JsonElement>map(com.google.gson.JsonPrimitive::new)
                .orElse(JsonNull.INSTANCE));
        return root;
    }

    /** An exact prompt read through each lens: no verdicts; KL averaged over the positions read. */
    public static JsonObject ofPrompt(Map<LensChoice, LensReport> reports, boolean allPositions) {
        JsonObject root = null;
        JsonArray lenses = new JsonArray();
        for (Map.Entry<LensChoice, LensReport> run : reports.entrySet()) {
            JsonObject report = LensJson.report(run.getValue(), allPositions);
            if (root == null) {
                root = report.deepCopy();
            }
            JsonObject entry = entry(run.getKey(), run.getValue(), report);
            entry.add("verdict", JsonNull.INSTANCE);
            entry.add("kl_to_final", numbers(run.getValue().meanKlToFinal()));
            lenses.add(entry);
        }
        root.add("lenses", lenses);
        root.add("plain_only_reversal", JsonNull.INSTANCE);
        return root;
    }

    /** The verdict line of one lens, naming it: "overthinking by the tuned lens (…): YES, …". */
    public static String verdictSentence(PromptAnalysis analysis) {
        Overthinking verdict = LensComparison.verdict(analysis);
        String summary = verdict.summary(analysis.trajectory()::labelName);
        String named = "overthinking by the " + analysis.lens().lens() + summary.substring("overthinking".length());
        return analysis.calibratedOverthinking() != null ? "calibrated " + named : named;
    }

    private static JsonObject entry(LensChoice choice, LensReport lens, JsonObject report) {
        JsonObject entry = new JsonObject();
        entry.addProperty("key", choice.key());
        entry.addProperty("name", lens.lens());
        entry.add("folder", choice.folder() == null ? JsonNull.INSTANCE
                : new com.google.gson.JsonPrimitive(choice.folder().toString()));
        JsonArray layers = report.getAsJsonArray("layers").deepCopy();
        for (JsonElement layer : layers) {
            layer.getAsJsonObject().addProperty("lens", choice.key());
        }
        entry.add("layers", layers);
        return entry;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray out = new JsonArray();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}

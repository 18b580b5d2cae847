package dev.logitscope.analysis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.lens.LensJson;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.UsedDemo;
import java.util.List;

/**
 * The JSON form of a prompt analysis: the lens report of {@link LensJson} with every field kept,
 * plus the prompt, the demonstrations, the verdicts per layer, calibration, overthinking and the
 * loss method. Field names are snake_case and never renamed. Pairs are in label order
 * [positive, negative]. Absent values are written as null, so write it with serializeNulls.
 */
public final class AnalysisJson {
    private AnalysisJson() {}

    public static JsonObject report(PromptAnalysis analysis, boolean allPositions) {
        JsonObject root = LensJson.report(analysis.lens(), allPositions);
        PromptRecipe recipe = analysis.request().recipe();
        root.addProperty("template", analysis.template().name());
        root.addProperty("shots", recipe.shots().k());
        root.addProperty("demo_labels", recipe.demoLabels().key());
        root.addProperty("seed", recipe.seed());
        root.addProperty("method", analysis.request().method().key());
        root.addProperty("gold", analysis.gold() == null ? null : analysis.gold().key());
        root.addProperty("prompt", analysis.prompt().text());
        root.addProperty("prompt_tokens", analysis.promptTokens());
        root.add("demos", demos(analysis.prompt().demos()));
        root.addProperty("dropped_demos", analysis.droppedDemos());
        root.add("warnings", strings(analysis.warnings()));
        addVerdicts(root.getAsJsonArray("layers"), analysis);
        root.addProperty("prediction", analysis.finalVerdict().prediction().key());
        root.add("overthinking", overthinking(analysis.overthinking())); // read by the root's "lens"
        if (analysis.calibration() != null) {
            root.add("calibration", calibration(analysis));
        }
        if (analysis.loss() != null) {
            root.add("loss", loss(analysis.loss()));
        }
        return root;
    }

    private static JsonArray demos(List<UsedDemo> demos) {
        JsonArray out = new JsonArray();
        for (UsedDemo demo : demos) {
            JsonObject d = new JsonObject();
            d.addProperty("text", demo.review());
            d.addProperty("label", demo.shown().key());
            d.addProperty("true_label", demo.truth().key());
            out.add(d);
        }
        return out;
    }

    /** Adds the verdict fields to the block layers of the lens JSON (mid-block taps get none). */
    private static void addVerdicts(JsonArray layers, PromptAnalysis analysis) {
        int next = 0;
        for (JsonElement element : layers) {
            JsonObject layer = element.getAsJsonObject();
            if (layer.has("mid_block")) {
                continue;
            }
            LayerVerdict v = analysis.verdicts().get(next++);
            layer.add("normalized", pair(v.normalizedPositive()));
            layer.addProperty("log_odds", v.logOdds());
            layer.addProperty("prediction", v.prediction().key());
            if (v.correct() != null) {
                layer.addProperty("correct", v.correct());
            }
            if (v.calibrated() != null) {
                Calibrated c = v.calibrated();
                JsonObject cal = new JsonObject();
                cal.add("normalized", pair(c.normalizedPositive()));
                cal.addProperty("log_odds", c.logOdds());
                cal.addProperty("prediction", c.prediction().key());
                if (c.correct() != null) {
                    cal.addProperty("correct", c.correct());
                }
                layer.add("calibrated", cal);
            }
        }
    }

    /** {@code {flips}} without gold; with gold every field, null where a layer does not exist. */
    /**
     * The demonstration comparison: per run its name, shots, demonstration labels and
     * P(positive) over the two labels per layer (calibrated when calibration is on).
     */
    public static JsonObject comparison(DemoComparison comparison) {
        JsonObject out = new JsonObject();
        out.addProperty("shots", comparison.shots().k());
        JsonArray runs = new JsonArray();
        comparison.runs().forEach((name, analysis) -> {
            JsonObject run = new JsonObject();
            run.addProperty("name", name);
            run.addProperty("shots", analysis.request().recipe().shots().k());
            run.addProperty("demo_labels", analysis.request().recipe().demoLabels().key());
            run.addProperty("calibrated", analysis.calibration() != null);
            JsonArray values = new JsonArray();
            analysis.verdicts().forEach(v -> values.add(v.decisivePositive()));
            run.add("p_positive", values);
            runs.add(run);
        });
        out.add("runs", runs);
        return out;
    }

    public static JsonObject overthinking(Overthinking o) {
        JsonObject out = new JsonObject();
        if (o.gold() != null) {
            out.addProperty("overthinks", o.overthinks());
            out.add("last_correct_layer", integer(o.lastCorrectLayer()));
            out.add("reversal_layer", integer(o.reversalLayer()));
            out.add("first_correct_layer", integer(o.firstCorrectLayer()));
            out.add("correct_layers", integers(o.correctLayers()));
            out.addProperty("final_correct", o.finalCorrect());
            out.addProperty("margin", o.margin());
        }
        out.add("flips", integers(o.flips()));
        return out;
    }

    private static JsonObject calibration(PromptAnalysis analysis) {
        ContentFreeBaseline baseline = analysis.calibration();
        JsonObject out = new JsonObject();
        out.addProperty("method", "contextual calibration (Zhao et al. 2021): p_cf = the content-free inputs' mean"
                + " raw label probabilities, normalised; p_cal ∝ p / p_cf over the label set");
        out.add("content_free", strings(baseline.inputs()));
        JsonArray perLayer = new JsonArray();
        JsonArray meanRaw = new JsonArray();
        for (int l = 0; l < baseline.layers(); l++) {
            perLayer.add(pair(baseline.positive(l)));
            JsonArray raw = new JsonArray();
            raw.add(baseline.meanPositive()[l]);
            raw.add(baseline.meanNegative()[l]);
            meanRaw.add(raw);
        }
        out.add("p_cf", perLayer);
        out.add("mean_label_probs", meanRaw);
        out.addProperty("prediction", analysis.finalVerdict().calibrated().prediction().key());
        out.add("overthinking", overthinking(analysis.calibratedOverthinking()));
        return out;
    }

    private static JsonObject loss(LossScore loss) {
        JsonObject out = new JsonObject();
        out.addProperty("method", loss.method());
        out.addProperty("span", loss.span().key());
        out.addProperty("description", loss.description());
        JsonObject prompts = new JsonObject();
        JsonObject scoredTokens = new JsonObject();
        JsonObject reviewTokens = new JsonObject();
        for (Sentiment cls : Sentiment.values()) {
            prompts.addProperty(cls.key(), loss.of(cls).prompt());
            scoredTokens.addProperty(cls.key(), loss.of(cls).scoredPositions().length);
            reviewTokens.addProperty(cls.key(), loss.of(cls).reviewPositions().length);
        }
        out.add("prompts", prompts);
        out.add("scored_tokens", scoredTokens);
        out.add("review_tokens", reviewTokens);
        JsonArray layers = new JsonArray();
        for (LossLayer layer : loss.layers()) {
            JsonObject l = new JsonObject();
            l.addProperty("layer", layer.layer());
            l.addProperty("name", layer.name());
            JsonArray mean = new JsonArray();
            mean.add(layer.lossPositive());
            mean.add(layer.lossNegative());
            l.add("mean_loss", mean);
            l.add("normalized", pair(layer.normalizedPositive()));
            l.addProperty("prediction", layer.prediction().key());
            if (layer.correct() != null) {
                l.addProperty("correct", layer.correct());
            }
            layers.add(l);
        }
        out.add("layers", layers);
        out.addProperty("prediction", loss.prediction().key());
        out.add("overthinking", overthinking(loss.overthinking()));
        return out;
    }

    private static JsonArray pair(double positive) {
        JsonArray out = new JsonArray();
        out.add(positive);
        out.add(1 - positive);
        return out;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray out = new JsonArray();
        values.forEach(out::add);
        return out;
    }

    private static JsonArray integers(List<Integer> values) {
        JsonArray out = new JsonArray();
        values.forEach(out::add);
        return out;
    }

    private static JsonElement integer(Integer value) {
        return value == null ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }
}

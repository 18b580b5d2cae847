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
        LabelTrajectory trajectory = analysis.trajectory();
        root.addProperty("gold", analysis.gold() == null ? null : trajectory.labelName(analysis.gold()));
        root.add("label_names", strings(trajectory.labelNames()));
        root.addProperty("prompt", analysis.prompt().text());
        root.addProperty("prompt_tokens", analysis.promptTokens());
        root.add("demos", demos(analysis.prompt().demos(), trajectory));
        root.addProperty("dropped_demos", analysis.droppedDemos());
        root.add("warnings", strings(analysis.warnings()));
        addVerdicts(root.getAsJsonArray("layers"), analysis);
        root.addProperty("prediction", trajectory.labelName(trajectory.finalPrediction()));
        root.add("overthinking", overthinking(analysis.overthinking())); // read by the root's "lens"
        if (analysis.calibration() != null) {
            root.add("calibration", calibration(analysis));
        }
        if (analysis.loss() != null) {
            root.add("loss", loss(analysis.loss()));
        }
        return root;
    }

    private static JsonArray demos(List<UsedDemo> demos, LabelTrajectory trajectory) {
        JsonArray out = new JsonArray();
        for (UsedDemo demo : demos) {
            JsonObject d = new JsonObject();
            d.addProperty("text", demo.review());
            d.addProperty("label", trajectory.labelName(demo.shown()));
            d.addProperty("true_label", trajectory.labelName(demo.truth()));
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
            LabelTrajectory t = analysis.trajectory();
            int tap = next++;
            layer.add("normalized", numbers(t.normalized()[tap]));
            if (t.labels() == 2) {
                layer.addProperty("log_odds", t.logOdds(tap));
            }
            layer.addProperty("prediction", t.labelName(t.prediction(tap)));
            if (t.correct(tap) != null) {
                layer.addProperty("correct", t.correct(tap));
            }
            if (t.isCalibrated()) {
                JsonObject cal = new JsonObject();
                cal.add("normalized", numbers(t.calibrated()[tap]));
                if (t.labels() == 2) {
                    cal.addProperty("log_odds", t.calibratedLogOdds(tap));
                }
                cal.addProperty("prediction", t.labelName(t.calibratedPrediction(tap)));
                if (t.calibratedCorrect(tap) != null) {
                    cal.addProperty("correct", t.calibratedCorrect(tap));
                }
                layer.add("calibrated", cal);
            }
        }
    }

    /** {@code {flips}} without gold; with gold every field, null where a layer does not exist. */
    /**
     * The demonstration comparison: per run its name, shots, demonstration labels and the label
     * probabilities per layer, {@code p_labels} (calibrated when calibration is on), and for two
     * labels P(positive) alone, {@code p_positive}.
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
            LabelTrajectory t = analysis.trajectory();
            if (t.labels() == 2) {
                run.add("p_positive", numbers(t.column(Sentiment.POSITIVE, t.isCalibrated())));
            }
            JsonArray perLayer = new JsonArray();
            for (int tap = 0; tap < t.taps(); tap++) {
                perLayer.add(numbers((t.isCalibrated() ? t.calibrated() : t.normalized())[tap]));
            }
            run.add("p_labels", perLayer);
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
            perLayer.add(numbers(baseline.normalized(l)));
            meanRaw.add(numbers(baseline.mean()[l]));
        }
        out.add("p_cf", perLayer);
        out.add("mean_label_probs", meanRaw);
        LabelTrajectory t = analysis.trajectory();
        out.addProperty("prediction", t.labelName(t.calibratedPrediction(t.taps() - 1)));
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

    private static JsonArray numbers(double[] values) {
        JsonArray out = new JsonArray();
        for (double v : values) {
            out.add(v);
        }
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
